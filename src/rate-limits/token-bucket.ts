import type { Cluster, Redis } from 'ioredis';
import { luaScript, runLuaScript } from './lua-script';
import { hashTagOf } from './rate-limit-keys';
import { TAKE_TOKENS_LUA } from './take-tokens-script';

/** One platform limit: a bucket of `burst` tokens refilled at `ratePerSecond`. */
export interface BucketLimit {
  /** Redis key of the bucket, from `rateLimitKey` (keys taken together must share a hash tag). */
  key: string;
  /** Tokens added per second; may be fractional (WhatsApp: 1 per 6 s to a user → `1 / 6`). */
  ratePerSecond: number;
  /** Capacity: how many tokens an idle bucket holds, i.e. the largest instantaneous burst. */
  burst: number;
}

export type TakeResult =
  | { granted: true }
  /** `retryAfterMs`: when the slowest bucket will hold enough tokens (rounded up to a whole ms). */
  | { granted: false; retryAfterMs: number };

/**
 * Token buckets shared by every process through Redis.
 *
 * Promised: `take` charges ALL the given buckets or none (one Lua script), judged by Redis server
 * time, so processes with skewed clocks agree; an idle bucket's key disappears once it is full.
 * Not promised: fairness between waiters (the first to ask after tokens appear wins), or any
 * particular behaviour when two callers use the same key with different rate/burst — keep the
 * limit of a key in one place.
 */
export interface TokenBucket {
  take(limits: readonly BucketLimit[], cost?: number): Promise<TakeResult>;
}

export type RateLimitConfigErrorCode =
  | 'rate_limit.invalid_limit'
  | 'rate_limit.cost_exceeds_burst'
  | 'rate_limit.duplicate_key'
  | 'rate_limit.keys_span_slots';

/** A limit that can never be honoured as given: a programming or configuration mistake. */
export class RateLimitConfigError extends Error {
  override readonly name = 'RateLimitConfigError';

  constructor(
    readonly code: RateLimitConfigErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

const takeTokens = luaScript(TAKE_TOKENS_LUA);

/** A token bucket over `redis` (a connection the caller owns and closes). */
export function createTokenBucket(options: { redis: Redis | Cluster }): TokenBucket {
  const { redis } = options;
  return {
    async take(limits, cost = 1) {
      validate(limits, cost);
      const args = [cost, ...limits.flatMap((limit) => [limit.ratePerSecond, limit.burst])];
      const keys = limits.map((limit) => limit.key);
      const [granted, waitMicros] = (await runLuaScript(redis, takeTokens, keys, args)) as [number, number];
      if (granted === 1) return { granted: true };
      return { granted: false, retryAfterMs: Math.ceil(waitMicros / 1000) };
    },
  };
}

function validate(limits: readonly BucketLimit[], cost: number): void {
  if (limits.length === 0)
    throw new RateLimitConfigError('rate_limit.invalid_limit', 'no bucket to take from');
  if (!Number.isFinite(cost) || cost <= 0)
    throw new RateLimitConfigError('rate_limit.invalid_limit', `cost must be a positive number, got ${cost}`);
  for (const { key, ratePerSecond, burst } of limits) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond) || !(burst > 0) || !Number.isFinite(burst))
      throw new RateLimitConfigError(
        'rate_limit.invalid_limit',
        `${key}: ratePerSecond and burst must be positive numbers, got ${ratePerSecond} and ${burst}`,
      );
    if (cost > burst)
      throw new RateLimitConfigError(
        'rate_limit.cost_exceeds_burst',
        `${key}: cost ${cost} can never be granted by a bucket of ${burst}; raise burst or split the work`,
      );
  }
  const keys = new Set(limits.map((limit) => limit.key));
  if (keys.size !== limits.length)
    throw new RateLimitConfigError('rate_limit.duplicate_key', 'the same bucket key is listed twice');
  const tags = new Set(limits.map((limit) => hashTagOf(limit.key)));
  if (tags.size > 1)
    throw new RateLimitConfigError(
      'rate_limit.keys_span_slots',
      `keys taken together must share one {hash tag} to stay Redis Cluster safe: ${[...keys].join(', ')}`,
    );
}
