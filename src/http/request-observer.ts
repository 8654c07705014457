import type { Request, RequestHandler, Response } from 'express';

/** Something told about every finished request (metrics, the access log). */
export type RequestObserver = (req: Request, res: Response, durationMs: number) => void;

/** One `finish` listener per request, however many observers there are. */
export function observeRequests(observers: readonly RequestObserver[]): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const durationMs = performance.now() - started;
      for (const observer of observers) observer(req, res, durationMs);
    });
    next();
  };
}
