import type { Redis } from 'ioredis';
import type { ApiKeyVerifier } from './api-keys';

/** Redis channel on which revoked key prefixes are announced, so every node evicts them at once. */
export function revocationChannel(queuePrefix: string): string {
  return `${queuePrefix}:api-key-revoked`;
}

export async function publishRevocation(redis: Redis, queuePrefix: string, keyPrefix: string): Promise<void> {
  await redis.publish(revocationChannel(queuePrefix), keyPrefix);
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
