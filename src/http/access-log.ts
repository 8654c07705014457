import type { Logger } from '../logging/logger';
import type { RequestObserver } from './request-observer';

/**
 * The access log: one line per finished request with request id, method, path (never the query
 * string: it may carry phone numbers or tokens), status and duration. Deliberately leaner than
 * pino-http (no per-request child logger, no header dumps): it runs on every request.
 */
export function accessLog(logger: Logger): RequestObserver {
  return (req, res, durationMs) => {
    const entry = {
      reqId: res.locals.requestId,
      method: req.method,
      path: req.originalUrl.split('?', 1)[0],
      status: res.statusCode,
      ms: Math.round(durationMs * 10) / 10,
    };
    if (res.statusCode >= 500) logger.error(entry, 'request failed');
    else logger.info(entry, 'request');
  };
}
