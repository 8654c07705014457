import { randomUUID } from 'node:crypto';
import { AppError } from '../../src/errors/app-error';
import { problemDocument } from '../../src/http/problem';
import type { Logger } from '../../src/logging/logger';

/** The problem+json body of a failed socket request, exactly as HTTP would answer it. */
export type SocketProblem = ReturnType<typeof problemDocument>;

/** What every socket ack of ours is: success with its fields, or the problem. */
export type SocketAck<T extends object = object> = ({ ok: true } & T) | { ok: false; problem: SocketProblem };

/**
 * A socket handler's failure as a problem document: an AppError as itself, anything else as
 * `internal.error` (logged with its cause; the client only gets the request id to quote).
 */
export function socketProblem(error: unknown, logger: Logger, event: string): SocketProblem {
  const requestId = randomUUID();
  if (error instanceof AppError) return problemDocument(error, requestId);
  logger.error({ err: error, event, requestId }, 'socket handler failed');
  return problemDocument(
    new AppError('internal.error', `Quote request id ${requestId} when reporting this.`),
    requestId,
  );
}
