import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors/app-error';
import { type ErrorCode, errorCatalog, errorCodes, errorTypeUri } from '../errors/catalog';
import type { Logger } from '../logging/logger';
import { validationFailed } from './validation';

/** RFC 9457 problem document, with our stable `code`, field `errors` and the request id. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          file: z.string().optional(),
          line: z.number().int().optional(),
          column: z.number().int().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem', description: 'Every error, as application/problem+json.' });

export const problemMediaType = 'application/problem+json';

/** The problem document of an error (what HTTP sends as problem+json, and socket acks carry). */
export function problemDocument(error: AppError, requestId: string): z.output<typeof problemSchema> {
  const entry = errorCatalog[error.code];
  return {
    type: errorTypeUri(error.code),
    title: entry.title,
    status: entry.status,
    detail: error.detail,
    code: error.code,
    requestId,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
  };
}

/** The serialized problem document of an error, exactly as `sendProblem` sends it. */
export function problemJson(error: AppError, requestId: string): string {
  return JSON.stringify(problemDocument(error, requestId));
}

export function sendProblem(res: Response, error: AppError): void {
  for (const [name, value] of Object.entries(error.options.headers ?? {})) res.setHeader(name, value);
  res
    .status(errorCatalog[error.code].status)
    .type(problemMediaType)
    .send(problemJson(error, res.locals.requestId));
}

export const notFoundHandler: RequestHandler = (req: Request, res: Response) => {
  sendProblem(res, new AppError('route.not_found', `No route for ${req.method} ${req.path}. See /docs.`));
};

/** body-parser failures carry a `type`; map the ones a client can cause to their codes. */
const bodyParserErrors: Record<string, (error: Error) => AppError> = {
  'entity.parse.failed': () => new AppError('request.malformed_json', 'The body is not valid JSON.'),
  'entity.too.large': () => new AppError('request.body_too_large', 'The body exceeds the size limit.'),
  'encoding.unsupported': () =>
    new AppError('request.unsupported_media_type', 'Unsupported content encoding.'),
  'charset.unsupported': () => new AppError('request.unsupported_media_type', 'The body must be UTF-8 text.'),
  'request.aborted': () => new AppError('request.malformed_json', 'The body was cut off.'),
};

/**
 * Other failures reading the body that body-parser marks as the client's (`expose`, a 4xx status,
 * no `type`): e.g. a `Content-Encoding: gzip` body that is not gzip. Never a 500.
 */
function bodyReadFault(error: unknown): AppError | null {
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (expose !== true || typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413) return bodyParserErrors['entity.too.large']?.(error as Error) ?? null;
  if (status === 415) return bodyParserErrors['encoding.unsupported']?.(error as Error) ?? null;
  return new AppError('request.malformed_json', `The body could not be read: ${String(message)}.`);
}

/** A path that is not valid percent-encoding (`/v1/bot-flows/%ZZ`): the router's URIError, status 400. */
function undecodablePath(error: unknown): AppError | null {
  if (!(error instanceof URIError) || (error as { status?: unknown }).status !== 400) return null;
  return validationFailed([{ path: 'params', message: 'not valid percent-encoding' }]);
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof AppError) return sendProblem(res, error);
    const type = (error as { type?: unknown }).type;
    const mapped = typeof type === 'string' ? bodyParserErrors[type] : undefined;
    if (mapped) return sendProblem(res, mapped(error as Error));
    const clientFault = bodyReadFault(error) ?? undecodablePath(error);
    if (clientFault) return sendProblem(res, clientFault);
    logger.error({ err: error, requestId: res.locals.requestId }, 'unhandled error');
    sendProblem(
      res,
      new AppError('internal.error', `Quote request id ${res.locals.requestId} when reporting this.`),
    );
  };
}
