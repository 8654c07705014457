import { AppError } from '../errors/app-error';
import type { Models } from '../storage/models';
import { TenantRepository, trustedWorkspaceId, type WorkspaceId } from '../storage/tenant-repository';
import { credentialIds } from './credential-revocations';
import { isIpAllowed, parseAllowList } from './ip-allowlist';
import type { Principal } from './principal';
import { scopes as allScopes, type Scope } from './scopes';
import { randomToken, safeEqual, sha256Hex } from './secrets';

const KEY_PATTERN = /^vst_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export interface CreatedApiKey {
  id: string;
  /** The whole key. Shown once, never stored. */
  key: string;
  prefix: string;
  name: string;
  scopes: Scope[];
  allowIps: string[];
  createdAt: Date;
}

/** The visible prefix of a well-formed key (`vst_<prefix>_<secret>`), or null. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

export interface CreateApiKeyInput {
  name: string;
  scopes: readonly Scope[];
  allowIps?: readonly string[];
}

/** Creates a key: `vst_<10-char prefix>_<32 random bytes, base64url>`; stores the prefix and a SHA-256. */
export async function createApiKey(
  models: Models,
  workspaceId: WorkspaceId,
  input: CreateApiKeyInput,
): Promise<CreatedApiKey> {
  const allowIps = parseAllowList(input.allowIps ?? []);
  const prefix = randomPrefix();
  const key = `vst_${prefix}_${randomToken(32)}`;
  const scopes = allScopes.filter((s) => input.scopes.includes(s));
  const repo = new TenantRepository(models.ApiKey);
  const doc = await repo.create(workspaceId, {
    name: input.name,
    prefix,
    hash: sha256Hex(key),
    scopes,
    allowIps,
    lastUsedAt: null,
    revokedAt: null,
  });
  return { id: String(doc._id), key, prefix, name: input.name, scopes, allowIps, createdAt: doc.createdAt };
}

function randomPrefix(): string {
  return randomToken(16)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10)
    .padEnd(10, '0');
}

interface CachedKey {
  keyId: string;
  hash: string;
  workspaceId: WorkspaceId;
  scopes: readonly Scope[];
  allowIps: readonly string[];
  revoked: boolean;
}

export interface ApiKeyVerifier {
  /**
   * Resolves a bearer key to its principal, or throws a 401/403 AppError. `clientIp` is asked for
   * only when the key has an IP allowlist (working out a proxied address is not free).
   */
  verify(key: string, clientIp: () => string): Promise<Principal>;
  /** Drops a key from this process's cache (called on revocation notices from any process). */
  evict(prefix: string): void;
}

/**
 * Verifies API keys with a short in-memory cache (by prefix) so a request costs no database
 * round trip; the hash is still compared in constant time on every request. Revocation evicts
 * at once through `evict` (wired to a Redis channel) and, at worst, after `cacheMs`.
 */
export function createApiKeyVerifier(models: Models, cacheMs: number): ApiKeyVerifier {
  /** By prefix; `null` remembers an unknown prefix, so sprayed random keys do not each cost a query. */
  const cache = new Map<string, { key: CachedKey | null; at: number }>();
  /** When `lastUsedAt` was last written per key: at most once a minute, whatever the cache does. */
  const lastUsedWritten = new Map<string, number>();
  /** Evictions per prefix: a lookup that raced with a revocation must not re-cache the old state. */
  const evictions = new Map<string, number>();

  async function load(prefix: string): Promise<CachedKey | null> {
    const hit = cache.get(prefix);
    if (hit && Date.now() - hit.at < cacheMs) return hit.key;
    const generation = evictions.get(prefix) ?? 0;
    const doc = await models.ApiKey.findOne({ prefix }).lean().exec();
    const entry: CachedKey | null = doc && {
      keyId: String(doc._id),
      hash: doc.hash,
      workspaceId: trustedWorkspaceId(String(doc.workspaceId)),
      scopes: doc.scopes as Scope[],
      allowIps: doc.allowIps,
      revoked: doc.revokedAt !== null && doc.revokedAt !== undefined,
    };
    if (cacheMs > 0 && (evictions.get(prefix) ?? 0) === generation)
      cache.set(prefix, { key: entry, at: Date.now() });
    return entry;
  }

  function touch(entry: CachedKey): void {
    if (Date.now() - (lastUsedWritten.get(entry.keyId) ?? 0) < 60_000) return;
    lastUsedWritten.set(entry.keyId, Date.now());
    models.ApiKey.updateOne({ _id: entry.keyId }, { $set: { lastUsedAt: new Date() } })
      .exec()
      .catch(() => {});
  }

  return {
    async verify(key, clientIp) {
      const prefix = apiKeyPrefix(key);
      if (!prefix) throw new AppError('auth.credentials_invalid', 'The API key is not valid.');
      const entry = await load(prefix);
      if (!entry || !safeEqual(sha256Hex(key), entry.hash)) {
        throw new AppError('auth.credentials_invalid', 'The API key is not valid.');
      }
      if (entry.revoked)
        throw new AppError('auth.key_revoked', `The API key vst_${prefix}_… has been revoked.`);
      if (entry.allowIps.length > 0) {
        const ip = clientIp();
        if (!isIpAllowed(ip, entry.allowIps)) {
          throw new AppError('auth.ip_not_allowed', `Requests from ${ip} are not allowed for this API key.`);
        }
      }
      touch(entry);
      return {
        kind: 'apiKey',
        workspaceId: entry.workspaceId,
        keyId: entry.keyId,
        credentialId: credentialIds.apiKey(prefix),
        scopes: entry.scopes,
      };
    },
    evict(prefix) {
      cache.delete(prefix);
      evictions.set(prefix, (evictions.get(prefix) ?? 0) + 1);
    },
  };
}

/** Revokes by visible prefix (`vst_abc…` or just `abc…`). Returns the revoked key's workspace, or null. */
export async function revokeApiKeyByPrefix(models: Models, prefixOrKey: string) {
  const prefix = prefixOrKey.replace(/^vst_/, '').split('_')[0] ?? '';
  const doc = await models.ApiKey.findOneAndUpdate(
    { prefix, revokedAt: null },
    { $set: { revokedAt: new Date() } },
    { returnDocument: 'after' },
  )
    .lean()
    .exec();
  return doc ? { id: String(doc._id), prefix: doc.prefix, workspaceId: String(doc.workspaceId) } : null;
}
