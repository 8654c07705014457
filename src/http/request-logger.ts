import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger';

/**
 * One log line per request, written when the response finishes: request id, method, path (never
 * the query string: it may carry phone numbers or tokens), status and duration. Deliberately
 * leaner than pino-http (no per-request child logger, no header dumps): it runs on every request.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const entry = {
        reqId: res.locals.requestId,
        method: req.method,
        path: req.originalUrl.split('?', 1)[0],
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (res.statusCode >= 500) logger.error(entry, 'request failed');
      else logger.info(entry, 'request');
    });
    next();
  };
}
