import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger';
import { noAnswerWithin, withTimeout } from '../timeouts';

export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** host:port of a Redis URL, without credentials. */
export function describeRedisUrl(url: string): string {
  const match = /^rediss?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url);
  return match?.[1] ?? 'the configured REDIS_URL';
}

/**
 * Connects to Redis (settings suitable for BullMQ) and fails within `timeoutMs` with one clear
 * line when it is unreachable. Warns when `maxmemory-policy` is not `noeviction`: BullMQ needs it.
 */
export async function connectRedis(url: string, logger: Logger, timeoutMs = 3000): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: timeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  try {
    await withTimeout(redis.connect(), timeoutMs, noAnswerWithin(timeoutMs));
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new RedisUnreachableError(
      `Cannot reach Redis at ${describeRedisUrl(url)}: ${(error as Error).message}. Start Redis or set REDIS_URL.`,
      { cause: error },
    );
  }
  await warnUnlessNoEviction(redis, logger);
  return redis;
}

async function warnUnlessNoEviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      logger.warn(
        { policy },
        `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or queued jobs may be evicted`,
      );
    }
  } catch {
    logger.warn('could not read Redis maxmemory-policy (CONFIG GET refused); make sure it is "noeviction"');
  }
}
