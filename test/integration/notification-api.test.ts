import { Types } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { requestFingerprint } from '../../src/http/idempotency';
import { eventually } from '../contract/helpers/sandbox-control';
import { expectBolaMatrix } from '../helpers/bola';
import {
  bearer,
  type NotificationFixture,
  sendNotification,
  startNotificationFixture,
  waitForStatus,
} from '../helpers/notification-fixture';
import { orderShippedTemplate, phoneSequence, sandboxPerson } from '../helpers/notification-paths';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/**
 * The notification API's promises around the sends: status webhooks signed per Standard Webhooks
 * (verified with the official `standardwebhooks` library) to endpoints and to `callbackUrl`,
 * Idempotency-Key on both POST routes, SSRF refusals for `callbackUrl`, tenant isolation of the
 * reads (BOLA), and Redis jobs that carry ids only.
 */
let fx: NotificationFixture;
let receiver: WebhookReceiver;
let templateId: string;
const params = { order: '4120', track: 'RD321' };
const usedPhones: string[] = [];
const phones = phoneSequence('400');

function nextPhone(): string {
  const phone = phones();
  usedPhones.push(phone);
  return phone;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  fx = await startNotificationFixture('ntf-api');
  templateId = await orderShippedTemplate(fx);
}, 60_000);
afterAll(async () => {
  await fx.close();
  await receiver.close();
});

const smsTo = (phone: string, extra: Record<string, unknown> = {}) => ({
  to: { phone },
  template: { id: templateId, params },
  route: [{ channel: 'sms', ttl: '1h' }],
  ...extra,
});

const post = (path: string, body: object, key?: string, apiKey = fx.apiKey) => {
  const req = request(fx.stack.app).post(path).set(bearer(apiKey));
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
};

const countTagged = (tag: string) =>
  fx.stack.models.Notification.countDocuments({ 'metadata.tag': tag }).exec();

describe('notification.status_changed webhooks', () => {
  it('one signed event per status reached, to the endpoint and to callbackUrl; none to another workspace', async () => {
    const endpoint = await post('/v1/webhook-endpoints', {
      url: `${receiver.url}/hooks`,
      events: ['notification.status_changed'],
    }).expect(201);
    const stranger = await post(
      '/v1/webhook-endpoints',
      { url: `${receiver.url}/stranger`, events: ['*'] },
      undefined,
      fx.otherKey,
    ).expect(201);
    expect(stranger.body.id).toEqual(expect.any(String));
    const callbackSecret = (
      await request(fx.stack.app)
        .get('/v1/webhook-endpoints/callback-secret')
        .set(bearer(fx.apiKey))
        .expect(200)
    ).body.secret as string;
    const phone = nextPhone();
    await sandboxPerson(fx, { phone });
    const id = await sendNotification(
      fx,
      smsTo(phone, { callbackUrl: `${receiver.url}/cb`, metadata: { orderId: 'A-4120' } }),
    );
    await waitForStatus(fx, id, 'delivered');

    for (const [path, secret] of [
      ['/hooks', endpoint.body.secret as string],
      ['/cb', callbackSecret],
    ] as const) {
      const events = await eventsFor(path, secret, id, 3);
      expect(events.map((event) => event.type)).toEqual(Array(3).fill('notification.status_changed'));
      const data = events.map((event) => event.data).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      expect(data.map((entry) => [entry.previousStatus, entry.status])).toEqual([
        ['accepted', 'queued'],
        ['queued', 'sent'],
        ['sent', 'delivered'],
      ]);
      expect(data.map((entry) => entry.billable)).toEqual([false, false, true]);
      expect(data[2]).toMatchObject({
        notificationId: id,
        step: 0,
        channel: { id: fx.channels.sms, type: 'sms' },
        reason: null,
        metadata: { orderId: 'A-4120' },
      });
      expect(events.map((event) => event.webhookId).sort()).toEqual(
        [`ntf_${id}.delivered`, `ntf_${id}.queued`, `ntf_${id}.sent`].sort(),
      );
    }
    // A sweep and a second look later change nothing: still one event per status.
    await fx.stack.notifications.sweep(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await eventsFor('/hooks', endpoint.body.secret, id, 3)).toHaveLength(3);
    expect(receiver.requests('/stranger')).toEqual([]);
  });

  it('a tampered body or a wrong secret does not verify', async () => {
    const [any] = receiver.requests('/hooks');
    if (!any) throw new Error('no webhook received yet');
    const secret = `whsec_${Buffer.from('not the secret at all, 32 bytes!').toString('base64')}`;
    expect(() => new Webhook(secret).verify(any.rawBody, any.headers)).toThrow();
  });
});

/** The verified events at `path` about notification `id`, once there are `count`. */
async function eventsFor(path: string, secret: string, id: string, count: number) {
  type Event = {
    type: string;
    webhookId: string;
    data: { notificationId: string; status: string; previousStatus: string; at: string; billable: boolean };
  };
  return eventually(
    () => {
      const events: Event[] = receiver.requests(path).flatMap((req) => {
        const verified = new Webhook(secret).verify(req.rawBody, req.headers) as Omit<Event, 'webhookId'>;
        return verified.data.notificationId === id
          ? [{ ...verified, webhookId: req.headers['webhook-id'] ?? '' }]
          : [];
      });
      return events.length >= count ? events : undefined;
    },
    `${count} events about ${id} at ${path}`,
    10_000,
  );
}

describe('Idempotency-Key', () => {
  it('POST /v1/notifications: same key and body → the same notification; another body → 422', async () => {
    const phone = nextPhone();
    const body = smsTo(phone, { metadata: { tag: 'idem-one' } });
    const first = await post('/v1/notifications', body, 'ntf-key-1').expect(202);
    const again = await post('/v1/notifications', body, 'ntf-key-1').expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await countTagged('idem-one')).toBe(1);
    const other = await post('/v1/notifications', smsTo(nextPhone()), 'ntf-key-1').expect(422);
    expect(other.body.code).toBe('idempotency.key_reused');
    expect(await countTagged('idem-one')).toBe(1);
  });

  it('POST /v1/notifications: ten at once with one key → one notification; the others 409 or the replay', async () => {
    const body = smsTo(nextPhone(), { metadata: { tag: 'idem-race' } });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post('/v1/notifications', body, 'ntf-key-race')),
    );
    const fresh = answers.filter((res) => res.status === 202 && !res.headers['idempotent-replayed']);
    expect(fresh).toHaveLength(1);
    for (const res of answers) {
      if (res.status === 409) expect(res.body.code).toBe('idempotency.in_flight');
      else expect(res.body.id).toBe(fresh[0]?.body.id);
    }
    expect(await countTagged('idem-race')).toBe(1);
  });

  it('POST /v1/notifications: 409 while the first request with the key is in flight', async () => {
    const body = smsTo(nextPhone(), { metadata: { tag: 'idem-flight' } });
    await fx.stack.models.IdempotencyKey.create({
      workspaceId: new Types.ObjectId(String(fx.workspaceId)),
      key: 'ntf-key-flight',
      fingerprint: requestFingerprint('POST', '/v1/notifications', body),
      state: 'in-flight',
      lockedUntil: new Date(Date.now() + 60_000),
      createdAt: new Date(),
    });
    const busy = await post('/v1/notifications', body, 'ntf-key-flight').expect(409);
    expect(busy.body.code).toBe('idempotency.in_flight');
    expect(busy.headers['retry-after']).toBeDefined();
    expect(await countTagged('idem-flight')).toBe(0);
  });

  it('POST /v1/notifications/batch: same key and body → the same ids, stored once; another body → 422', async () => {
    const items = [nextPhone(), nextPhone(), nextPhone()].map((phone) =>
      smsTo(phone, { metadata: { tag: 'idem-batch' } }),
    );
    const first = await post('/v1/notifications/batch', { items }, 'batch-key-1').expect(202);
    const again = await post('/v1/notifications/batch', { items }, 'batch-key-1').expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({ accepted: 3, rejected: 0 });
    expect(await countTagged('idem-batch')).toBe(3);
    const other = await post('/v1/notifications/batch', { items: items.slice(1) }, 'batch-key-1').expect(422);
    expect(other.body.code).toBe('idempotency.key_reused');
    expect(await countTagged('idem-batch')).toBe(3);
  });
});

describe('callbackUrl SSRF', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/hook',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://0.0.0.0:8080/hook',
    'http://224.0.0.1/hook',
    'http://user:pass@example.com/hook',
  ])('refuses %s with 422 before storing anything, even with private addresses allowed', async (url) => {
    const res = await post(
      '/v1/notifications',
      smsTo(nextPhone(), { callbackUrl: url, metadata: { tag: 'ssrf' } }),
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('webhook_endpoint.url_refused');
    expect(res.body.errors[0].path).toBe('body.callbackUrl');
    expect(await countTagged('ssrf')).toBe(0);
  });

  it('refuses the item in a batch, accepting the others', async () => {
    const items = [
      smsTo(nextPhone(), { metadata: { tag: 'ssrf-batch' } }),
      smsTo(nextPhone(), { callbackUrl: 'http://169.254.169.254/', metadata: { tag: 'ssrf-batch' } }),
    ];
    const res = await post('/v1/notifications/batch', { items }).expect(202);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(res.body.items[1].error).toMatchObject({ code: 'webhook_endpoint.url_refused', status: 422 });
    expect(await countTagged('ssrf-batch')).toBe(1);
  });
});

describe('tenant isolation', () => {
  it('GET /v1/notifications/:id of another workspace is 404 (BOLA matrix); lists show only the caller’s', async () => {
    const phone = nextPhone();
    const id = await sendNotification(fx, smsTo(phone));
    await expectBolaMatrix(fx.stack.app, {
      attacker: fx.otherKey,
      owner: fx.apiKey,
      cases: [{ method: 'get', path: `/v1/notifications/${id}` }],
    });
    const list = (apiKey: string, query = '') =>
      request(fx.stack.app).get(`/v1/notifications${query}`).set(bearer(apiKey)).expect(200);
    const mine = await list(fx.apiKey, `?phone=${encodeURIComponent(phone)}`);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    for (const query of ['', `?phone=${encodeURIComponent(phone)}`, '?channel=sms', '?status=delivered']) {
      expect((await list(fx.otherKey, query)).body.items).toEqual([]);
    }
    const all = await list(fx.apiKey, '?limit=100');
    expect(all.body.items.length).toBeGreaterThan(1);
  });
});

describe('jobs carry ids only', () => {
  it('no job in Redis holds a phone number, an e-mail or a text; notification jobs hold ids', async () => {
    const { redis, config } = fx.stack;
    await sandboxPerson(fx, { phone: nextPhone() });
    // A notification still waiting on its retry keeps a step job; sent ones keep their TTL jobs.
    await fx.sandbox.control.addFault({ platform: 'telegram', kind: 'server-error', status: 503 });
    const { contactId } = await sandboxPerson(fx, { phone: nextPhone(), email: 'jobs@example.ru' });
    await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [{ channel: 'telegram', ttl: '1h' }],
    });
    const jobs = await eventually(async () => {
      const found = await jobHashes(redis, `${config.QUEUE_PREFIX}:notifications:*`);
      return found.some((job) => job.name === 'step') ? found : undefined;
    }, 'a waiting step job');
    await fx.sandbox.control.clearFaults();
    const fields: Record<string, string[]> = {
      step: ['notificationId', 'step'],
      expire: ['attemptId', 'notificationId'],
      sweep: [],
    };
    for (const job of jobs)
      expect([job.name, Object.keys(job.data).sort()]).toEqual([job.name, fields[job.name]]);
    const everything = await jobHashes(redis, `${config.QUEUE_PREFIX}:*`);
    expect(everything.length).toBeGreaterThanOrEqual(jobs.length);
    const raw = everything.map((job) => job.raw).join('\n');
    for (const secret of [...usedPhones, ...usedPhones.map((p) => p.slice(1)), 'jobs@example.ru', 'RD321']) {
      expect(raw).not.toContain(secret);
    }
  });
});

/** Every BullMQ job hash under `pattern`: its name, parsed data and the raw data string. */
async function jobHashes(redis: NotificationFixture['stack']['redis'], pattern: string) {
  const found: Array<{ key: string; name: string; data: Record<string, unknown>; raw: string }> = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if ((await redis.type(key)) !== 'hash') continue;
      const [name, data] = await redis.hmget(key, 'name', 'data');
      if (name === null || data === null) continue;
      found.push({ key, name, data: JSON.parse(data) as Record<string, unknown>, raw: data });
    }
  } while (cursor !== '0');
  return found;
}
