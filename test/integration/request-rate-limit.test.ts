import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import type { Principal } from '../../src/auth/principal';
import { createRequestRateLimit } from '../../src/http/request-rate-limit';
import { createLogger } from '../../src/logging/logger';
import { createTokenBucket } from '../../src/rate-limits/token-bucket';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/** The per-credential request rate limit: 429 with Retry-After, per key, and open when Redis is gone. */
let stack: TestStack;
let apiKey: string;
let secondKey: string;

beforeAll(async () => {
  // A slow refill (1 per 10 s) so the test never races the bucket.
  stack = await createTestStack('reqrate', { API_RATE_LIMIT_PER_SECOND: '0.1', API_RATE_LIMIT_BURST: '3' });
  const shop = await createWorkspace(stack.models, { name: 'Shop' });
  apiKey = shop.apiKey;
  secondKey = (
    await createApiKey(stack.models, trustedWorkspaceId(shop.workspaceId), {
      name: 'second',
      scopes: ['workspace:read'],
    })
  ).key;
});
afterAll(() => stack.close());

const whoAmI = (key: string) => request(stack.app).get('/v1/workspace').set('Authorization', `Bearer ${key}`);

describe('request rate limit', () => {
  it('answers 429 rate_limit.exceeded with Retry-After once a key spends its burst', async () => {
    for (let i = 0; i < 3; i += 1) await whoAmI(apiKey).expect(200);
    const refused = await whoAmI(apiKey).expect(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('rate_limit.exceeded');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
  });

  it('keeps a bucket per key', async () => {
    await whoAmI(secondKey).expect(200);
  });

  it('does not charge requests that fail authentication', async () => {
    await whoAmI('vst_nope').expect(401);
    await request(stack.app).get('/v1/workspace').expect(401);
  });

  it('is documented for every authenticated route in OpenAPI', async () => {
    const res = await request(stack.app).get('/v1/openapi.json').expect(200);
    expect(res.body.paths['/v1/workspace'].get.responses['429'].description).toContain('rate_limit.exceeded');
  });
});

describe('request rate limit without Redis', () => {
  it('lets requests through and warns once', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: null });
    dead.on('error', () => {});
    try {
      const limit = createRequestRateLimit({
        bucket: createTokenBucket({ redis: dead }),
        prefix: stack.config.QUEUE_PREFIX,
        perSecond: 1,
        burst: 1,
        logger: createLogger({ level: 'warn', destination }),
        timeoutMs: 50,
      });
      const principal = { kind: 'apiKey', credentialId: 'k1' } as Principal;
      for (let i = 0; i < 3; i += 1) await expect(limit.charge(principal)).resolves.toBeUndefined();
      expect(lines.filter((line) => line.includes('request rate limit unavailable'))).toHaveLength(1);
    } finally {
      dead.disconnect();
    }
  });
});
