import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createApiKey, createApiKeyVerifier } from '../../src/auth/api-keys';
import { apiKeyPrefixOf, subscribeRevocations } from '../../src/auth/credential-revocations';
import { addOperator } from '../../src/auth/operators';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { createTestStack, type TestStack } from '../helpers/test-stack';

let stack: TestStack;
let workspaceId: string;
let apiKey: string;
let admin: { email: string; password: string };

beforeAll(async () => {
  stack = await createTestStack('auth');
  const created = await createWorkspace(stack.models, { name: 'Bank', adminEmail: 'admin@bank.test' });
  ({ workspaceId, apiKey, admin } = created);
});
afterAll(() => stack.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('API keys', () => {
  it('accepts the key from workspace creation and says whose it is', async () => {
    const res = await request(stack.app).get('/v1/workspace').set(bearer(apiKey)).expect(200);
    expect(res.body.workspace).toMatchObject({ id: workspaceId, name: 'Bank' });
    expect(res.body.credential.kind).toBe('apiKey');
    expect(res.body.credential.scopes).not.toContain('templates:moderate');
  });

  it('stores only a hash and a visible prefix', async () => {
    const [doc] = await stack.models.ApiKey.find({ workspaceId }).lean();
    expect(apiKey).toMatch(/^vst_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.startsWith(`vst_${doc?.prefix}_`)).toBe(true);
    expect(JSON.stringify(doc)).not.toContain(apiKey.split('_')[2]);
  });

  it.each([
    ['no credentials', {}, 401, 'auth.credentials_missing'],
    [
      'a wrong key',
      bearer('vst_aaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      401,
      'auth.credentials_invalid',
    ],
    ['garbage', bearer('hello'), 401, 'auth.credentials_invalid'],
  ])('answers %s with %i problem+json', async (_label, headers, status, code) => {
    const res = await request(stack.app).get('/v1/workspace').set(headers).expect(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe(code);
  });

  it('refuses a key whose right prefix carries a wrong secret', async () => {
    const tampered = `${apiKey.slice(0, -4)}AAAA`;
    const res = await request(stack.app).get('/v1/workspace').set(bearer(tampered)).expect(401);
    expect(res.body.code).toBe('auth.credentials_invalid');
  });

  it('enforces scopes', async () => {
    const readOnly = await createApiKey(stack.models, trustedWorkspaceId(workspaceId), {
      name: 'read-only',
      scopes: ['workspace:read'],
    });
    const res = await request(stack.app).get('/v1/api-keys').set(bearer(readOnly.key)).expect(403);
    expect(res.body).toMatchObject({ code: 'auth.scope_missing' });
    expect(res.body.detail).toContain('workspace:admin');
  });

  it('enforces the IP allowlist', async () => {
    const elsewhere = await createApiKey(stack.models, trustedWorkspaceId(workspaceId), {
      name: 'office',
      scopes: ['workspace:read'],
      allowIps: ['10.20.0.0/16'],
    });
    const denied = await request(stack.app).get('/v1/workspace').set(bearer(elsewhere.key)).expect(403);
    expect(denied.body.code).toBe('auth.ip_not_allowed');
    const local = await createApiKey(stack.models, trustedWorkspaceId(workspaceId), {
      name: 'local',
      scopes: ['workspace:read'],
      allowIps: ['127.0.0.1', '::1'],
    });
    await request(stack.app).get('/v1/workspace').set(bearer(local.key)).expect(200);
  });

  it('creates keys over the API but never with templates:moderate', async () => {
    const refused = await request(stack.app)
      .post('/v1/api-keys')
      .set(bearer(apiKey))
      .send({ name: 'sneaky', scopes: ['templates:moderate'] })
      .expect(400);
    expect(refused.body.errors[0].path).toBe('body.scopes.0');
    const created = await request(stack.app)
      .post('/v1/api-keys')
      .set(bearer(apiKey))
      .send({ name: 'crm', scopes: ['notifications:send'] })
      .expect(201);
    expect(created.body.key).toMatch(/^vst_/);
    const limited = await request(stack.app).get('/v1/api-keys').set(bearer(created.body.key)).expect(403);
    expect(limited.body.code).toBe('auth.scope_missing');
    const listed = await request(stack.app).get('/v1/api-keys').set(bearer(apiKey)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
  });

  it('revocation takes effect at once, also in another node whose cache holds the key', async () => {
    const created = await createApiKey(stack.models, trustedWorkspaceId(workspaceId), {
      name: 'to revoke',
      scopes: ['workspace:read'],
    });
    const otherNode = createApiKeyVerifier(stack.models, 60_000);
    const unsubscribe = await subscribeRevocations(stack.redis, stack.config.QUEUE_PREFIX, (credentialId) => {
      const keyPrefix = apiKeyPrefixOf(credentialId);
      if (keyPrefix) otherNode.evict(keyPrefix);
    });
    try {
      await otherNode.verify(created.key, () => '127.0.0.1');
      await request(stack.app).get('/v1/workspace').set(bearer(created.key)).expect(200);
      await request(stack.app).delete(`/v1/api-keys/${created.id}`).set(bearer(apiKey)).expect(200);
      const res = await request(stack.app).get('/v1/workspace').set(bearer(created.key)).expect(401);
      expect(res.body.code).toBe('auth.key_revoked');
      await waitFor(async () =>
        otherNode
          .verify(created.key, () => '127.0.0.1')
          .then(
            () => false,
            () => true,
          ),
      );
    } finally {
      await unsubscribe();
    }
  });
});

describe('operator sessions', () => {
  it('logs in, works as Bearer and as cookie, and logs out', async () => {
    const login = await request(stack.app).post('/v1/auth/login').send(admin).expect(201);
    expect(login.body.token).toMatch(/^vss_/);
    expect(login.body.operator).toMatchObject({ email: admin.email, role: 'admin', workspaceId });
    const cookie = login.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/vestnik_session=vss_.*HttpOnly/i);
    await request(stack.app).get('/v1/workspace').set(bearer(login.body.token)).expect(200);
    const viaCookie = await request(stack.app)
      .get('/v1/workspace')
      .set('Cookie', cookie.split(';')[0] ?? '');
    expect(viaCookie.body.credential).toMatchObject({ kind: 'operator', role: 'admin' });
    await request(stack.app).post('/v1/auth/logout').set(bearer(login.body.token)).expect(204);
    const after = await request(stack.app).get('/v1/workspace').set(bearer(login.body.token)).expect(401);
    expect(after.body.code).toBe('auth.credentials_invalid');
  });

  it('says the same for an unknown e-mail and a wrong password', async () => {
    const wrongPassword = await request(stack.app)
      .post('/v1/auth/login')
      .send({ email: admin.email, password: 'nope' })
      .expect(401);
    const unknown = await request(stack.app)
      .post('/v1/auth/login')
      .send({ email: 'ghost@bank.test', password: 'nope' })
      .expect(401);
    expect(wrongPassword.body.code).toBe('auth.login_failed');
    expect(unknown.body.detail).toBe(wrongPassword.body.detail);
  });

  it('rejects operator injection in the login body', async () => {
    const res = await request(stack.app)
      .post('/v1/auth/login')
      .send({ email: { $ne: null }, password: 'x' })
      .expect(400);
    expect(res.body.errors[0].path).toBe('body.email');
  });

  it('limits what an operator role may do', async () => {
    await addOperator(stack.models, trustedWorkspaceId(workspaceId), {
      email: 'agent@bank.test',
      role: 'operator',
      password: 'agent-password-123',
    });
    const login = await request(stack.app)
      .post('/v1/auth/login')
      .send({ email: 'agent@bank.test', password: 'agent-password-123' })
      .expect(201);
    const res = await request(stack.app).get('/v1/api-keys').set(bearer(login.body.token)).expect(403);
    expect(res.body.code).toBe('auth.role_forbidden');
  });

  it('expires sessions', async () => {
    const login = await request(stack.app).post('/v1/auth/login').send(admin).expect(201);
    await stack.models.Session.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await request(stack.app).get('/v1/workspace').set(bearer(login.body.token)).expect(401);
    expect(res.body.code).toBe('auth.session_expired');
  });

  it('asks for the workspace when one e-mail has accounts in two', async () => {
    const other = await createWorkspace(stack.models, { name: 'Second', adminEmail: 'twin@bank.test' });
    await addOperator(stack.models, trustedWorkspaceId(workspaceId), {
      email: 'twin@bank.test',
      role: 'operator',
      password: 'twin-password-123',
    });
    const ambiguous = await request(stack.app)
      .post('/v1/auth/login')
      .send({ email: 'twin@bank.test', password: other.admin.password })
      .expect(400);
    expect(ambiguous.body.code).toBe('auth.workspace_required');
    await request(stack.app)
      .post('/v1/auth/login')
      .send({ email: 'twin@bank.test', password: other.admin.password, workspaceId: other.workspaceId })
      .expect(201);
  });
});

describe('mongoose guards', () => {
  it('treats query operators in filters as literal values (sanitizeFilter)', async () => {
    const injected = { email: { $ne: null } as unknown as string };
    await expect(stack.models.Operator.find(injected).lean()).rejects.toThrow(/Cast to string failed/);
    expect(await stack.models.Operator.countDocuments({})).toBeGreaterThan(0);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe('login throttling', () => {
  it('locks an e-mail out after 10 failures from one address, even for the right password', async () => {
    const ws = await createWorkspace(stack.models, { name: 'Throttled', adminEmail: 'victim@throttle.test' });
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const res = await request(stack.app)
        .post('/v1/auth/login')
        .send({ email: 'victim@throttle.test', password: `guess-${attempt}` });
      expect(res.status).toBe(401);
    }
    const locked = await request(stack.app).post('/v1/auth/login').send(ws.admin).expect(429);
    expect(locked.body.code).toBe('auth.too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // Another account from the same address is not locked out by this one.
    await request(stack.app).post('/v1/auth/login').send(admin).expect(201);
  });

  it('clears the counter on a successful login', async () => {
    const ws = await createWorkspace(stack.models, {
      name: 'Forgetful',
      adminEmail: 'forgetful@throttle.test',
    });
    for (let round = 0; round < 3; round += 1) {
      for (let attempt = 0; attempt < 9; attempt += 1) {
        await request(stack.app)
          .post('/v1/auth/login')
          .send({ email: ws.admin.email, password: 'wrong' })
          .expect(401);
      }
      await request(stack.app).post('/v1/auth/login').send(ws.admin).expect(201);
    }
  });
});

describe('no privilege escalation', () => {
  it('a business key cannot mint a moderator or admin, only what it holds', async () => {
    const moderator = await request(stack.app)
      .post('/v1/operators')
      .set(bearer(apiKey))
      .send({ email: 'mod@bank.test', role: 'moderator' })
      .expect(403);
    expect(moderator.body.code).toBe('auth.scope_missing');
    expect(moderator.body.detail).toContain('templates:moderate');
    await request(stack.app)
      .post('/v1/operators')
      .set(bearer(apiKey))
      .send({ email: 'agent2@bank.test', role: 'operator' })
      .expect(201);
  });

  it('a key cannot create a key with scopes it lacks', async () => {
    const adminOnly = await createApiKey(stack.models, trustedWorkspaceId(workspaceId), {
      name: 'admin-only',
      scopes: ['workspace:admin'],
    });
    const res = await request(stack.app)
      .post('/v1/api-keys')
      .set(bearer(adminOnly.key))
      .send({ name: 'wider', scopes: ['notifications:send'] })
      .expect(403);
    expect(res.body.code).toBe('auth.scope_missing');
  });
});

describe('login throttling under pressure', () => {
  it('lets at most 10 of 30 concurrent guesses through to the password check', async () => {
    await createWorkspace(stack.models, { name: 'Stormed', adminEmail: 'storm@throttle.test' });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request(stack.app)
          .post('/v1/auth/login')
          .send({ email: 'storm@throttle.test', password: `guess-${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('answers 503 at once, not a hang, when Redis is unreachable', async () => {
    const isolated = await createTestStack('auth-redis-down');
    try {
      isolated.redis.disconnect();
      const started = Date.now();
      const res = await request(isolated.app)
        .post('/v1/auth/login')
        .send({ email: 'a@b.test', password: 'x' })
        .expect(503);
      expect(res.body.code).toBe('service.not_ready');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await isolated.redis.connect().catch(() => {});
      await isolated.close();
    }
  });
});
