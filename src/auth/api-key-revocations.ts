import type { Redis } from 'ioredis';
import type { ApiKeyVerifier } from './api-keys';

/** Redis channel on which revoked key prefixes are announced, so every node evicts them at once. */
export function revocationChannel(queuePrefix: string): string {
  return `${queuePrefix}:api-key-revoked`;
}

/**
 * Announces a revocation. Bounded to `timeoutMs`: when Redis is away the revocation (already
 * stored) still holds, and other nodes' caches drop the key within AUTH_CACHE_MS.
 */
export async function publishRevocation(
  redis: Redis,
  queuePrefix: string,
  keyPrefix: string,
  timeoutMs = 1000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([
    redis.publish(revocationChannel(queuePrefix), keyPrefix).catch(() => undefined),
    timeout,
  ]);
  clearTimeout(timer);
}

/** Subscribes this process's key cache to revocation notices; returns the unsubscribe function. */
export async function subscribeRevocations(
  redis: Redis,
  queuePrefix: string,
  verifier: ApiKeyVerifier,
): Promise<() => Promise<void>> {
  const subscriber = redis.duplicate();
  const channel = revocationChannel(queuePrefix);
  subscriber.on('message', (from, keyPrefix: string) => {
    if (from === channel) verifier.evict(keyPrefix);
  });
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.disconnect();
  };
}
