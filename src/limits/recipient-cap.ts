import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { luaScript, runLuaScript } from '../rate-limits/lua-script';
import { rateLimitKey } from '../rate-limits/rate-limit-keys';
import { hashedRecipient } from './channel-limits';

/** The reason a notification step is skipped when the recipient's daily cap is reached. */
export const recipientCapSkipReason = 'recipient-daily-limit';

/** The rolling window of the cap: 24 hours. */
export const recipientCapWindowMs = 24 * 60 * 60 * 1000;

/**
 * One sorted set per (workspace, channel, recipient): members are reservations, scores the Redis
 * server time (µs) they were made. In one step: drop members older than the window, count, add.
 * KEYS[1]: the set. ARGV: limit, window (µs), member.
 * Reply `{1, 0}` when added; `{0, resetAtMs}` when full: when the oldest reservation leaves.
 */
const reserveScript = luaScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.ceil((tonumber(oldest[2]) + window) / 1000)}
`);

export interface RecipientCapRequest {
  workspaceId: string;
  channelId: string;
  /** Chat id, phone or address; only its hash reaches Redis. */
  recipientKey: string;
  /** `ChannelLimits.recipientDailyLimit`; null = the channel has no cap. */
  dailyLimit: number | null;
  /** `WorkspaceSettings.recipientLimitExempt`. */
  exempt: boolean;
}

export type RecipientCapResult =
  /** `token` is null when no cap applied (exempt workspace, uncapped channel): nothing to release. */
  | { allowed: true; token: string | null }
  /** The cap is reached; a slot frees at `resetAt` (Redis server time). */
  | { allowed: false; resetAt: Date };

/**
 * The per-recipient rolling-24-hour cap, shared by every worker through Redis.
 *
 * Promised: `reserve` counts and adds in one Lua script, so concurrent callers never grant more
 * than `dailyLimit` within any window; times are Redis server time. Errors from Redis are thrown
 * (the caller retries the job); the cap never fails open on its own.
 * Not promised: that a reservation survives a Redis flush (the cap then starts afresh), or that
 * `release` of an unknown or expired token does anything (it is a no-op).
 */
export interface RecipientCap {
  reserve(request: RecipientCapRequest): Promise<RecipientCapResult>;
  /** Gives the slot back (call it when the send failed permanently). Opaque token, no personal data. */
  release(token: string | null): Promise<void>;
}

export interface RecipientCapOptions {
  redis: Redis | Cluster;
  /** The deployment's key prefix (`QUEUE_PREFIX`). */
  prefix: string;
  /** Length of the rolling window; 24 h by default. */
  windowMs?: number;
}

export function createRecipientCap(options: RecipientCapOptions): RecipientCap {
  const { redis, prefix, windowMs = recipientCapWindowMs } = options;
  return {
    async reserve(request) {
      if (request.exempt || request.dailyLimit === null) return { allowed: true, token: null };
      const key = recipientCapKey(prefix, request);
      const member = randomBytes(12).toString('base64url');
      const args = [request.dailyLimit, windowMs * 1000, member];
      const [added, resetAtMs] = (await runLuaScript(redis, reserveScript, [key], args)) as [number, number];
      if (added === 1) return { allowed: true, token: `${member}@${key}` };
      return { allowed: false, resetAt: new Date(resetAtMs) };
    },
    async release(token) {
      if (!token) return;
      const at = token.indexOf('@');
      const key = token.slice(at + 1);
      if (at <= 0 || !key.startsWith(`${prefix}:rl:`)) return;
      await redis.zrem(key, token.slice(0, at));
    },
  };
}

/** The sorted set of one recipient on one channel of one workspace. */
export function recipientCapKey(
  prefix: string,
  request: Pick<RecipientCapRequest, 'workspaceId' | 'channelId' | 'recipientKey'>,
): string {
  return rateLimitKey(
    prefix,
    request.channelId,
    'cap',
    request.workspaceId,
    hashedRecipient(request.recipientKey),
  );
}
