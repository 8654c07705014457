import type { Redis } from 'ioredis';
import { withTimeout } from '../timeouts';

/**
 * A credential's id, as announced when it stops being valid: `apikey:<visible prefix>` or
 * `session:<start of the token's SHA-256>`. Principals carry theirs, so caches and open sockets
 * tied to it can be dropped on every node.
 */
export const credentialIds = {
  apiKey: (keyPrefix: string) => `apikey:${keyPrefix}`,
  session: (tokenHash: string) => `session:${tokenHash.slice(0, 24)}`,
};

/** The key prefix of an API-key credential id, or null for other credentials. */
export function apiKeyPrefixOf(credentialId: string): string | null {
  return credentialId.startsWith('apikey:') ? credentialId.slice('apikey:'.length) : null;
}

/** Redis channel on which revoked credentials are announced. */
export function revocationChannel(queuePrefix: string): string {
  return `${queuePrefix}:credential-revoked`;
}

/**
 * Announces a revocation (API key revoked, operator logged out). Bounded to `timeoutMs`: when
 * Redis is away the revocation itself (already stored) still holds, and other nodes' key caches
 * expire within AUTH_CACHE_MS.
 */
export async function publishRevocation(
  redis: Redis,
  queuePrefix: string,
  credentialId: string,
  timeoutMs = 1000,
): Promise<void> {
  const published = redis.publish(revocationChannel(queuePrefix), credentialId).catch(() => undefined);
  await withTimeout(published, timeoutMs, () => undefined);
}

/** Calls `onRevoked` for every revocation announced by any process; returns the unsubscribe function. */
export async function subscribeRevocations(
  redis: Redis,
  queuePrefix: string,
  onRevoked: (credentialId: string) => void,
): Promise<() => Promise<void>> {
  const subscriber = redis.duplicate();
  const channel = revocationChannel(queuePrefix);
  subscriber.on('message', (from, credentialId: string) => {
    if (from === channel) onRevoked(credentialId);
  });
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.disconnect();
  };
}
