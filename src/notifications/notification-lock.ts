import type { Redis } from 'ioredis';
import { createKeyedLock, type KeyedLock } from '../storage/keyed-lock';

/** Runs work while holding the notification's lock, shared by every process through Redis. */
export type NotificationLock = KeyedLock;

/**
 * One mutex per notification, so status callbacks, TTL timers, fallbacks and sends of one
 * notification apply one at a time. If a holder stalls past `lockTimeoutMs` the step claims
 * (unique attempt index) still keep a fallback single.
 */
export function createNotificationLock(
  redis: Redis,
  prefix: string,
  options: { lockTimeoutMs?: number; acquireTimeoutMs?: number } = {},
): NotificationLock {
  return createKeyedLock(redis, `${prefix}:ntf-lock`, options);
}
