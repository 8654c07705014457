import request from 'supertest';
import type { ChannelKind } from '../../adapters/contract';
import { adapterRegistry } from '../../adapters/registry';
import { createApiKey } from '../../src/auth/api-keys';
import {
  createRecipientCap,
  type RecipientCap,
  type RecipientCapRequest,
  recipientCapKey,
  recipientCapWindowMs,
} from '../../src/limits/recipient-cap';
import { createSmsSpend, type SmsSpend } from '../../src/limits/sms-spend';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { getWorkspaceSettings } from '../../src/workspaces/workspace-settings';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/** Workspace delivery settings, channel limits, recipient cap and SMS spend cap. */
let stack: TestStack;
let adminKey: string;
let readOnlyKey: string;
let shopId: string;
let otherKey: string;
let otherId: string;

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  stack = await createTestStack('limits');
  const shop = await createWorkspace(stack.models, { name: 'Shop' });
  adminKey = shop.apiKey;
  shopId = shop.workspaceId;
  readOnlyKey = (
    await createApiKey(stack.models, trustedWorkspaceId(shopId), { name: 'ro', scopes: ['workspace:read'] })
  ).key;
  ({ apiKey: otherKey, workspaceId: otherId } = await createWorkspace(stack.models, { name: 'Other' }));
});
afterAll(() => stack.close());

describe('workspace delivery settings', () => {
  it('starts with defaults', async () => {
    const res = await request(stack.app).get('/v1/workspace/settings').set(bearer(adminKey)).expect(200);
    expect(res.body).toEqual({
      defaultRoute: [],
      recipientLimitExempt: false,
      smsSpend: { pricePerSegment: 0, monthlyCap: null },
    });
  });

  it('patches fields independently and normalizes ttl durations', async () => {
    await request(stack.app)
      .patch('/v1/workspace/settings')
      .set(bearer(adminKey))
      .send({
        defaultRoute: [
          { channel: 'vk-notify', ttl: '1h' },
          { channel: 'sms', ttl: 86400 },
        ],
      })
      .expect(200);
    const res = await request(stack.app)
      .patch('/v1/workspace/settings')
      .set(bearer(adminKey))
      .send({ recipientLimitExempt: true, smsSpend: { pricePerSegment: 2.5, monthlyCap: 1000 } })
      .expect(200);
    const expected = {
      defaultRoute: [
        { channel: 'vk-notify', ttlSeconds: 3600 },
        { channel: 'sms', ttlSeconds: 86400 },
      ],
      recipientLimitExempt: true,
      smsSpend: { pricePerSegment: 2.5, monthlyCap: 1000 },
    };
    expect(res.body).toEqual(expected);
    expect(await getWorkspaceSettings(stack.models, trustedWorkspaceId(shopId))).toEqual(expected);
    const capOff = await request(stack.app)
      .patch('/v1/workspace/settings')
      .set(bearer(adminKey))
      .send({ smsSpend: { monthlyCap: null } })
      .expect(200);
    expect(capOff.body.smsSpend).toEqual({ pricePerSegment: 2.5, monthlyCap: null });
  });

  it('accepts a channel id of the workspace, not one of another workspace', async () => {
    const channel = await insertChannel(otherId, 'email');
    const created = { body: { id: String(channel._id) } };
    const res = await request(stack.app)
      .patch('/v1/workspace/settings')
      .set(bearer(adminKey))
      .send({ defaultRoute: [{ channel: created.body.id, ttl: '5m' }] })
      .expect(400);
    expect(res.body.errors[0].path).toBe('body.defaultRoute.0.channel');
    await request(stack.app)
      .patch('/v1/workspace/settings')
      .set(bearer(otherKey))
      .send({ defaultRoute: [{ channel: created.body.id, ttl: '5m' }] })
      .expect(200);
  });

  it.each([
    [{ defaultRoute: Array(11).fill({ channel: 'sms', ttl: 60 }) }, 'body.defaultRoute'],
    [{ defaultRoute: [{ channel: 'sms', ttl: '2d' }] }, 'body.defaultRoute.0.ttl'],
    [{ defaultRoute: [{ channel: 'sms', ttl: 5 }] }, 'body.defaultRoute.0.ttl'],
    [{ smsSpend: { pricePerSegment: -1 } }, 'body.smsSpend.pricePerSegment'],
    [{ smsSpend: { pricePerSegment: 1.001 } }, 'body.smsSpend.pricePerSegment'],
    [{ recipientLimitExempt: 'yes' }, 'body.recipientLimitExempt'],
    [{ colour: 'red' }, 'body'],
  ])('refuses %j with a 400 naming the field', async (body, path) => {
    const res = await request(stack.app)
      .patch('/v1/workspace/settings')
      .set(bearer(adminKey))
      .send(body)
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors[0].path).toBe(path);
  });

  it('needs workspace:admin', async () => {
    await request(stack.app).get('/v1/workspace/settings').set(bearer(readOnlyKey)).expect(403);
    await request(stack.app)
      .patch('/v1/workspace/settings')
      .set(bearer(readOnlyKey))
      .send({ recipientLimitExempt: true })
      .expect(403);
  });

  it('documents the settings routes in OpenAPI', async () => {
    const res = await request(stack.app).get('/v1/openapi.json').expect(200);
    expect(Object.keys(res.body.paths['/v1/workspace/settings'])).toEqual(['get', 'patch']);
  });

  it('keeps workspaces apart', async () => {
    const res = await request(stack.app).get('/v1/workspace/settings').set(bearer(otherKey)).expect(200);
    expect(res.body.recipientLimitExempt).toBe(false);
  });
});

describe('channel limits', () => {
  const emailConfig = { ...adapterRegistry.email.exampleConfig, host: '127.0.0.1', port: 1 };

  it('shows effective limits, takes overrides on create and merges them on PATCH', async () => {
    const created = await request(stack.app)
      .post('/v1/channels')
      .set(bearer(adminKey))
      .send({ type: 'email', name: 'Mail', config: emailConfig, limits: { perSecond: 4, burst: 2 } })
      .expect(201);
    expect(created.body.limits).toEqual({
      perSecond: 4,
      burst: 2,
      perChatPerSecond: null,
      perChatBurst: 1,
      recipientDailyLimit: null,
    });
    const id = created.body.id as string;
    const patched = await request(stack.app)
      .patch(`/v1/channels/${id}`)
      .set(bearer(adminKey))
      .send({ limits: { recipientDailyLimit: 3, burst: 1 } })
      .expect(200);
    expect(patched.body.limits).toMatchObject({ perSecond: 4, burst: 1, recipientDailyLimit: 3 });
    expect(patched.body.name).toBe('Mail');
    const reset = await request(stack.app)
      .patch(`/v1/channels/${id}`)
      .set(bearer(adminKey))
      .send({ limits: null })
      .expect(200);
    expect(reset.body.limits).toMatchObject({ perSecond: 10, burst: 1, recipientDailyLimit: null });
    const read = await request(stack.app).get(`/v1/channels/${id}`).set(bearer(adminKey)).expect(200);
    expect(read.body.limits).toEqual(reset.body.limits);
  });

  it('shows the type defaults for channels stored without overrides', async () => {
    const channel = await insertChannel(shopId, 'vk-notify');
    const res = await request(stack.app).get(`/v1/channels/${channel._id}`).set(bearer(adminKey)).expect(200);
    expect(res.body.limits).toMatchObject({ perSecond: 50, recipientDailyLimit: 5 });
  });

  it.each([
    [{ perSecond: 0 }, 'body.limits.perSecond'],
    [{ burst: 0.5 }, 'body.limits.burst'],
    [{ recipientDailyLimit: 'five' }, 'body.limits.recipientDailyLimit'],
    [{ speed: 1 }, 'body.limits'],
  ])('refuses limits %j with a 400', async (limits, path) => {
    const res = await request(stack.app)
      .post('/v1/channels')
      .set(bearer(adminKey))
      .send({ type: 'email', name: 'Bad', config: emailConfig, limits })
      .expect(400);
    expect(res.body.errors[0].path).toBe(path);
  });
});

describe('recipient daily cap', () => {
  const phone = '+79161234567';
  let cap: RecipientCap;
  let n = 0;
  /** A fresh channel id per test, so tests do not share a window. */
  const request5 = (extra: Partial<RecipientCapRequest> = {}): RecipientCapRequest => ({
    workspaceId: shopId,
    channelId: `ch${n}`,
    recipientKey: phone,
    dailyLimit: 5,
    exempt: false,
    ...extra,
  });
  beforeAll(() => {
    cap = createRecipientCap({ redis: stack.redis, prefix: stack.config.QUEUE_PREFIX });
  });
  beforeEach(() => {
    n += 1;
  });

  it('allows 5 in 24 h, refuses the 6th until the oldest leaves the window', async () => {
    const results = [];
    for (let i = 0; i < 6; i += 1) results.push(await cap.reserve(request5()));
    expect(results.slice(0, 5).every((r) => r.allowed && r.token)).toBe(true);
    const refused = results[5];
    if (!refused || refused.allowed) throw new Error('the 6th must be refused');
    const key = recipientCapKey(stack.config.QUEUE_PREFIX, request5());
    const [oldest, oldestMicros] = [await stack.redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')].flat(
      2,
    ) as string[];
    expect(refused.resetAt.getTime()).toBe(Math.ceil(Number(oldestMicros) / 1000) + recipientCapWindowMs);
    // Slide the window: the oldest reservation is now just over 24 h old.
    const slid = Number(oldestMicros) - recipientCapWindowMs * 1000;
    await stack.redis.zadd(key, 'XX', String(slid), oldest as string);
    expect((await cap.reserve(request5())).allowed).toBe(true);
    expect((await cap.reserve(request5())).allowed).toBe(false);
    expect(key).not.toContain('79161234567');
  });

  it('gives a slot back on release', async () => {
    const tokens: (string | null)[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await cap.reserve(request5());
      if (r.allowed) tokens.push(r.token);
    }
    expect((await cap.reserve(request5())).allowed).toBe(false);
    await cap.release(tokens[2] ?? null);
    await cap.release(tokens[2] ?? null);
    expect((await cap.reserve(request5())).allowed).toBe(true);
    expect((await cap.reserve(request5())).allowed).toBe(false);
  });

  it('grants exactly the limit to 20 concurrent reserves', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => cap.reserve(request5())));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });

  it('counts per recipient, channel and workspace', async () => {
    for (let i = 0; i < 5; i += 1) await cap.reserve(request5());
    expect((await cap.reserve(request5())).allowed).toBe(false);
    expect((await cap.reserve(request5({ recipientKey: '+79160000000' }))).allowed).toBe(true);
    expect((await cap.reserve(request5({ channelId: 'other' }))).allowed).toBe(true);
    expect((await cap.reserve(request5({ workspaceId: otherId }))).allowed).toBe(true);
  });

  it('does not cap exempt workspaces or uncapped channels', async () => {
    for (let i = 0; i < 7; i += 1) {
      expect(await cap.reserve(request5({ exempt: true }))).toEqual({ allowed: true, token: null });
      expect(await cap.reserve(request5({ dailyLimit: null }))).toEqual({ allowed: true, token: null });
    }
    await cap.release(null);
    await cap.release('garbage');
    await cap.release('m@someone-else:key');
  });
});

describe('SMS spend cap', () => {
  let month = '2026-03-15T12:00:00Z';
  let spend: SmsSpend;
  let n = 0;
  const ws = () => `ws${n}`;
  const capped = { pricePerSegment: 1.5, monthlyCap: 10 };
  beforeAll(() => {
    spend = createSmsSpend({
      redis: stack.redis,
      prefix: stack.config.QUEUE_PREFIX,
      now: () => new Date(month),
    });
  });
  beforeEach(() => {
    n += 1;
    month = '2026-03-15T12:00:00Z';
  });

  it('charges segments at the price and refuses what would pass the monthly cap', async () => {
    expect(await spend.reserve(ws(), 3, capped)).toMatchObject({ allowed: true, spent: 4.5 });
    expect(await spend.reserve(ws(), 3, capped)).toMatchObject({ allowed: true, spent: 9 });
    expect(await spend.reserve(ws(), 1, capped)).toEqual({ allowed: false, spent: 9, cap: 10 });
    expect(await spend.spentThisMonth(ws())).toBe(9);
    expect((await spend.reserve(ws(), 1, { ...capped, pricePerSegment: 1 })).allowed).toBe(true);
    expect(await spend.spentThisMonth(ws())).toBe(10);
  });

  it('refunds a reservation once', async () => {
    const first = await spend.reserve(ws(), 4, capped);
    await spend.reserve(ws(), 2, capped);
    if (!first.allowed) throw new Error('first must pass');
    await spend.refund(first.token);
    await spend.refund(first.token);
    expect(await spend.spentThisMonth(ws())).toBe(3);
    await spend.refund(null);
    await spend.refund('not-a-token');
  });

  it('grants exactly what fits the cap to concurrent reservations', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => spend.reserve(ws(), 1, { pricePerSegment: 1, monthlyCap: 7 })),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    expect(await spend.spentThisMonth(ws())).toBe(7);
  });

  it('starts afresh each calendar month (UTC)', async () => {
    await spend.reserve(ws(), 6, capped);
    expect((await spend.reserve(ws(), 1, capped)).allowed).toBe(false);
    month = '2026-04-01T00:00:00Z';
    expect(await spend.reserve(ws(), 1, capped)).toMatchObject({ allowed: true, spent: 1.5 });
  });

  it('counts without a cap and charges nothing when SMS is not priced', async () => {
    expect(await spend.reserve(ws(), 1000, { pricePerSegment: 0.05, monthlyCap: null })).toMatchObject({
      allowed: true,
      spent: 50,
    });
    expect(await spend.reserve(ws(), 5, { pricePerSegment: 0, monthlyCap: 0 })).toEqual({
      allowed: true,
      token: null,
      spent: 50,
    });
    expect((await spend.reserve(ws(), 1, { pricePerSegment: 0.05, monthlyCap: 50 })).allowed).toBe(false);
  });

  it('keeps workspaces apart', async () => {
    await spend.reserve(ws(), 6, capped);
    expect((await spend.reserve(`${ws()}-other`, 6, capped)).allowed).toBe(true);
  });
});

/** A channel document straight in the database (these tests need no platform behind it). */
function insertChannel(workspaceId: string, type: ChannelKind, extra: object = {}) {
  return stack.models.Channel.create({
    workspaceId,
    type,
    name: `${type}-${Math.random().toString(36).slice(2, 8)}`,
    webhookKey: 'k',
    connection: { state: 'not-needed', detail: '', checkedAt: new Date() },
    ...extra,
  });
}
