import { Types } from 'mongoose';
import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { type DeliveredAttempt, recordDelivered } from '../../src/usage/record-delivered';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/** Usage: delivered attempts recorded once each, counted per UTC day and channel, per workspace. */
let stack: TestStack;
let shopKey: string;
let shopId: string;
let otherKey: string;
let otherId: string;
const vkNotify = String(new Types.ObjectId());
const sms = String(new Types.ObjectId());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const usage = (key: string, query: string) => request(stack.app).get(`/v1/usage?${query}`).set(bearer(key));

function delivered(
  workspaceId: string,
  channelId: string,
  deliveredAt: string,
  extra: Partial<DeliveredAttempt> = {},
) {
  return recordDelivered(stack.models, {
    workspaceId,
    channelId,
    channelType: channelId === sms ? 'sms' : 'vk-notify',
    notificationId: String(new Types.ObjectId()),
    attemptId: String(new Types.ObjectId()),
    deliveredAt: new Date(deliveredAt),
    ...extra,
  });
}

beforeAll(async () => {
  stack = await createTestStack('usage');
  ({ apiKey: shopKey, workspaceId: shopId } = await createWorkspace(stack.models, { name: 'Shop' }));
  ({ apiKey: otherKey, workspaceId: otherId } = await createWorkspace(stack.models, { name: 'Other' }));
  await delivered(shopId, vkNotify, '2026-03-01T00:00:00Z');
  await delivered(shopId, vkNotify, '2026-03-01T23:59:59.999Z');
  await delivered(shopId, sms, '2026-03-01T12:00:00Z');
  await delivered(shopId, vkNotify, '2026-03-02T08:00:00Z');
  await delivered(shopId, sms, '2026-02-28T23:59:59Z');
  await delivered(otherId, vkNotify, '2026-03-01T10:00:00Z');
});
afterAll(() => stack.close());

describe('usage', () => {
  it('counts delivered notifications per UTC day and channel, with totals', async () => {
    const res = await usage(shopKey, 'from=2026-03-01&to=2026-03-02').expect(200);
    const [first, second] = [vkNotify, sms].sort();
    expect(res.body.items).toEqual(
      [
        { day: '2026-03-01', channelId: vkNotify, channelType: 'vk-notify', delivered: 2 },
        { day: '2026-03-01', channelId: sms, channelType: 'sms', delivered: 1 },
        { day: '2026-03-02', channelId: vkNotify, channelType: 'vk-notify', delivered: 1 },
      ].sort((a, b) => a.day.localeCompare(b.day) || a.channelId.localeCompare(b.channelId)),
    );
    expect(res.body.totals.delivered).toBe(4);
    expect(res.body.totals.byChannel.map((row: { channelId: string }) => row.channelId)).toEqual([
      first,
      second,
    ]);
    expect(
      res.body.totals.byChannel.find((row: { channelId: string }) => row.channelId === vkNotify).delivered,
    ).toBe(3);
  });

  it('includes both ends of the range and nothing outside it', async () => {
    const one = await usage(shopKey, 'from=2026-02-28&to=2026-02-28').expect(200);
    expect(one.body.totals.delivered).toBe(1);
    const none = await usage(shopKey, 'from=2026-03-03&to=2026-03-31').expect(200);
    expect(none.body).toEqual({
      from: '2026-03-03',
      to: '2026-03-31',
      items: [],
      totals: { delivered: 0, byChannel: [] },
    });
  });

  it('filters by channel id or channel type', async () => {
    const byId = await usage(shopKey, `from=2026-02-01&to=2026-03-31&channel=${sms}`).expect(200);
    expect(byId.body.totals.delivered).toBe(2);
    const byType = await usage(shopKey, 'from=2026-02-01&to=2026-03-31&channel=vk-notify').expect(200);
    expect(byType.body.totals.delivered).toBe(3);
  });

  it('records an attempt once however often or concurrently it is reported', async () => {
    const attempt = {
      workspaceId: shopId,
      channelId: vkNotify,
      channelType: 'vk-notify',
      notificationId: String(new Types.ObjectId()),
      attemptId: String(new Types.ObjectId()),
      deliveredAt: new Date('2026-04-10T10:00:00Z'),
    };
    await Promise.all(Array.from({ length: 10 }, () => recordDelivered(stack.models, attempt)));
    await recordDelivered(stack.models, { ...attempt, deliveredAt: new Date('2026-04-11T10:00:00Z') });
    const res = await usage(shopKey, 'from=2026-04-01&to=2026-04-30').expect(200);
    expect(res.body.items).toEqual([
      { day: '2026-04-10', channelId: vkNotify, channelType: 'vk-notify', delivered: 1 },
    ]);
  });

  it('shows each workspace only its own deliveries', async () => {
    const res = await usage(otherKey, 'from=2026-02-01&to=2026-03-31').expect(200);
    expect(res.body.totals.delivered).toBe(1);
    const foreignChannel = await usage(otherKey, `from=2026-02-01&to=2026-03-31&channel=${sms}`).expect(200);
    expect(foreignChannel.body.totals.delivered).toBe(0);
  });

  it('allows 366 days and refuses longer, reversed or malformed ranges with a 400', async () => {
    await usage(shopKey, 'from=2024-01-01&to=2024-12-31').expect(200);
    const cases: [string, string][] = [
      ['from=2024-01-01&to=2025-01-01', 'query.to'],
      ['from=2026-03-02&to=2026-03-01', 'query.to'],
      ['from=2026-02-30&to=2026-03-01', 'query.from'],
      ['from=20260301&to=2026-03-01', 'query.from'],
      ['to=2026-03-01', 'query.from'],
      ['from=2026-03-01&to=2026-03-01&channel=pigeon', 'query.channel'],
      ['from=2026-03-01&to=2026-03-01&from=2026-03-02', 'query.from'],
    ];
    for (const [query, path] of cases) {
      const res = await usage(shopKey, query);
      expect({ query, status: res.status, path: res.body.errors?.[0]?.path }).toEqual({
        query,
        status: 400,
        path,
      });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('is documented in OpenAPI', async () => {
    const res = await request(stack.app).get('/v1/openapi.json').expect(200);
    expect(res.body.paths['/v1/usage'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'from',
      'to',
      'channel',
    ]);
  });

  it('needs notifications:read', async () => {
    const key = (
      await createApiKey(stack.models, trustedWorkspaceId(shopId), { name: 'ro', scopes: ['workspace:read'] })
    ).key;
    await usage(key, 'from=2026-03-01&to=2026-03-01').expect(403);
  });
});
