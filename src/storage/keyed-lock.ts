import type { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';

/** Runs work while holding the lock of one entity (a notification, a conversation…), shared by every process through Redis. */
export type KeyedLock = <T>(id: string, work: () => Promise<T>) => Promise<T>;

/**
 * One mutex per entity id (redis-semaphore, refreshed while held), so read-decide-write of one
 * document is safe on MongoDB and on FerretDB alike (FerretDB v1 rewrites whole documents and
 * does not apply conditional updates atomically), without relying on conditional updates.
 * Not promised: mutual exclusion if a holder stalls longer than `lockTimeoutMs` without its
 * refresh running (a frozen process).
 */
export function createKeyedLock(
  redis: Redis,
  keyPrefix: string,
  options: { lockTimeoutMs?: number; acquireTimeoutMs?: number } = {},
): KeyedLock {
  const { lockTimeoutMs = 15_000, acquireTimeoutMs = 30_000 } = options;
  return async (id, work) => {
    const mutex = new Mutex(redis, `${keyPrefix}:${id}`, {
      lockTimeout: lockTimeoutMs,
      acquireTimeout: acquireTimeoutMs,
      retryInterval: 5,
      refreshInterval: lockTimeoutMs / 3,
    });
    await mutex.acquire();
    try {
      return await work();
    } finally {
      await mutex.release().catch(() => {});
    }
  };
}
