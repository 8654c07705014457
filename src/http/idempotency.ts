import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { type Model, trusted } from 'mongoose';
import { z } from 'zod';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';
import type { IdempotencyKeyDoc } from './idempotency-key-model';
import { problemJson, problemMediaType } from './problem';
import { parseInput } from './validation';

export const idempotencyKeyHeader = 'Idempotency-Key';
export const idempotentReplayedHeader = 'Idempotent-Replayed';

/** How long an in-flight claim belongs to its request before a retry may take it over. */
const idempotencyLockMs = 60_000;

/** Keys are promised for 24 h; housekeeping deletes them an hour after that. */
export const idempotencyKeyRetentionMs = 25 * 60 * 60_000;

/** The header as requests carry it: used both to validate it and to document it in OpenAPI. */
export const idempotencyHeaders = z.object({
  [idempotencyKeyHeader]: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x20-\x7E]+$/, 'Use printable ASCII characters only')
    .optional()
    .meta({
      description:
        'Makes a retry safe: within the workspace, the same key with the same body answers what the first ' +
        'request answered (with `Idempotent-Replayed: true`) for at least 24 h; with another body, 422 ' +
        '`idempotency.key_reused`; while the first is running, 409 `idempotency.in_flight` (`Retry-After`). ' +
        '1–255 printable ASCII characters, e.g. a UUID.',
    }),
});

/** A response as sent, so it can be stored and replayed byte for byte. */
export interface RouteResponse {
  status: number;
  contentType: string;
  /** The serialized body; empty when there is none (204). */
  body: string;
}

/**
 * The `Idempotency-Key` behaviour of the routes that opt in (`idempotent: true`).
 *
 * Promised: within a workspace, a key seen with the same method, path and JSON body (key order
 * ignored) answers what the first request answered — its status and body, byte for byte, with
 * `Idempotent-Replayed: true` — for at least 24 h; with another request it answers 422
 * `idempotency.key_reused`; while the first is still running, 409 `idempotency.in_flight` with
 * `Retry-After: 1`. Client errors (4xx) are stored like successes, except 409 and 429, which may
 * change on retry.
 *
 * Not promised: replayed response headers (other than the content type); a replay after a 5xx or
 * a crash (the key is released, or taken over once its 60 s lock has passed, and the request runs
 * again); exactly-once when a handler runs longer than the lock.
 */
export interface Idempotency {
  /**
   * Runs `execute` at most once per workspace and key (without the header: runs it). Throws
   * what `execute` throws, and the AppErrors above.
   */
  run(
    scope: { workspaceId: WorkspaceId; req: Request; requestId: string },
    execute: () => Promise<RouteResponse>,
  ): Promise<RouteResponse & { replayed: boolean }>;
}

export interface IdempotencyOptions {
  model: Model<IdempotencyKeyDoc>;
  logger: Logger;
  lockMs?: number;
}

type Claim = { kind: 'claimed'; id: unknown } | { kind: 'replay'; response: RouteResponse };

/** JSON with object keys sorted at every level, so equal bodies serialize equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}

/** SHA-256 (hex) of the method, the path and the canonical JSON body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** The request's key, validated; undefined when the header is absent. */
function readIdempotencyKey(req: Request): string | undefined {
  const headers = { [idempotencyKeyHeader]: req.get(idempotencyKeyHeader) };
  return parseInput(idempotencyHeaders, headers, 'headers')[idempotencyKeyHeader];
}

/** Client errors that are answers, not accidents of timing: replayed like successes. */
function isStoredError(error: unknown): error is AppError {
  return (
    error instanceof AppError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![409, 429].includes(error.status)
  );
}

export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const { model } = options;
  const lockMs = options.lockMs ?? idempotencyLockMs;
  const logger = options.logger.child({ module: 'vestnik:idempotency' });

  async function tryInsert(workspaceId: WorkspaceId, key: string, fingerprint: string, now: Date) {
    try {
      const lockedUntil = new Date(now.getTime() + lockMs);
      const doc = { workspaceId, key, fingerprint, state: 'in-flight' as const, lockedUntil, createdAt: now };
      return (await model.create(doc))._id;
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
  }

  /** The unique insert decides who runs; the loser learns why from the record that won. */
  async function claim(workspaceId: WorkspaceId, key: string, fingerprint: string): Promise<Claim> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const now = new Date();
      const id = await tryInsert(workspaceId, key, fingerprint, now);
      if (id !== undefined) return { kind: 'claimed', id };
      const existing = await model.findOne({ workspaceId, key }).lean().exec();
      if (!existing) continue;
      if (existing.fingerprint !== fingerprint) throw keyReused(key);
      if (existing.state === 'completed' && existing.response)
        return { kind: 'replay', response: existing.response };
      if (existing.lockedUntil > now) throw inFlight(key);
      // A crashed request's stale claim: delete exactly that record; the next insert picks the winner.
      await model
        .deleteOne({ _id: existing._id, state: 'in-flight', lockedUntil: trusted({ $lt: now }) })
        .exec();
    }
    throw inFlight(key);
  }

  async function complete(id: unknown, response: RouteResponse): Promise<void> {
    try {
      await model.updateOne({ _id: id, state: 'in-flight' }, { state: 'completed', response }).exec();
    } catch (error) {
      logger.error(
        { err: error },
        'could not store an idempotent response; a retry after the lock runs again',
      );
    }
  }

  async function release(id: unknown): Promise<void> {
    try {
      await model.deleteOne({ _id: id, state: 'in-flight' }).exec();
    } catch (error) {
      logger.error({ err: error }, 'could not release an idempotency key; it frees itself after the lock');
    }
  }

  async function runClaimed(id: unknown, requestId: string, execute: () => Promise<RouteResponse>) {
    let response: RouteResponse;
    try {
      response = await execute();
    } catch (error) {
      if (isStoredError(error)) {
        await complete(id, {
          status: error.status,
          contentType: problemMediaType,
          body: problemJson(error, requestId),
        });
      } else await release(id);
      throw error;
    }
    await complete(id, response);
    return { ...response, replayed: false };
  }

  return {
    async run({ workspaceId, req, requestId }, execute) {
      const key = readIdempotencyKey(req);
      if (key === undefined) return { ...(await execute()), replayed: false };
      const fingerprint = requestFingerprint(req.method, req.baseUrl + req.path, req.body);
      const claimed = await claim(workspaceId, key, fingerprint);
      if (claimed.kind === 'replay') return { ...claimed.response, replayed: true };
      return runClaimed(claimed.id, requestId, execute);
    },
  };
}

function keyReused(key: string): AppError {
  return new AppError(
    'idempotency.key_reused',
    `Idempotency-Key ${JSON.stringify(key)} was already used with a different request (method, path or body). Use a new key for a new request.`,
  );
}

function inFlight(key: string): AppError {
  return new AppError(
    'idempotency.in_flight',
    `A request with Idempotency-Key ${JSON.stringify(key)} is still being processed. Retry shortly for its answer.`,
    { headers: { 'Retry-After': '1' } },
  );
}

/** Housekeeping: deletes keys past their retention. Returns how many. */
export async function purgeExpiredIdempotencyKeys(models: Models, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - idempotencyKeyRetentionMs);
  const result = await models.IdempotencyKey.deleteMany({ createdAt: trusted({ $lt: before }) }).exec();
  return result.deletedCount;
}
