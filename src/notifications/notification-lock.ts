import type { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';

/** Runs work while holding the notification's lock, shared by every process through Redis. */
export type NotificationLock = <T>(notificationId: string, work: () => Promise<T>) => Promise<T>;

/**
 * One mutex per notification (redis-semaphore, refreshed while held), so status callbacks, TTL
 * timers, fallbacks and sends of one notification apply one at a time: read-decide-write is safe
 * on MongoDB and on FerretDB alike, without relying on conditional updates.
 * Not promised: mutual exclusion if a holder stalls longer than `lockTimeoutMs` without its refresh
 * running (a frozen process); the step claims (unique attempt index) still keep a fallback single.
 */
export function createNotificationLock(
  redis: Redis,
  prefix: string,
  options: { lockTimeoutMs?: number; acquireTimeoutMs?: number } = {},
): NotificationLock {
  const { lockTimeoutMs = 15_000, acquireTimeoutMs = 30_000 } = options;
  return async (notificationId, work) => {
    const mutex = new Mutex(redis, `${prefix}:ntf-lock:${notificationId}`, {
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
