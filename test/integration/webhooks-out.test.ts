import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import { queueNames } from '../../src/queue/queues';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import type { BusinessEventType } from '../../src/webhooks-out/business-events';
import { createRetrySchedule } from '../../src/webhooks-out/retry-schedule';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually } from '../contract/helpers/sandbox-control';
import { expectBolaMatrix } from '../helpers/bola';
import { createTestStack, deleteKeys, type TestStack } from '../helpers/test-stack';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/**
 * Outbound webhooks end to end: real app, FerretDB, Redis and delivery worker, POSTing to a real
 * HTTP receiver on 127.0.0.1 (allowed by WEBHOOKS_ALLOW_PRIVATE=true). Retries are 300 ms apart
 * (injected schedule) instead of minutes; four attempts in all.
 */
let stack: TestStack;
let receiver: WebhookReceiver;

interface Tenant {
  workspaceId: WorkspaceId;
  key: string;
}

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const phone = '+79161234567';

async function tenant(name: string): Promise<Tenant> {
  const created = await createWorkspace(stack.models, { name });
  return { workspaceId: trustedWorkspaceId(created.workspaceId), key: created.apiKey };
}

async function endpoint(owner: Tenant, path: string, events?: string[]) {
  const res = await request(stack.app)
    .post('/v1/webhook-endpoints')
    .set(bearer(owner.key))
    .send({ url: `${receiver.url}${path}`, ...(events ? { events } : {}) })
    .expect(201);
  return res.body as { id: string; secret: string; events: string[] };
}

function publish(owner: Tenant, type: BusinessEventType, eventId: string, extra: object = {}) {
  return stack.events.publish(
    owner.workspaceId,
    type,
    { notificationId: eventId, phone, ...extra },
    { eventId },
  );
}

async function deliveries(owner: Tenant, endpointId: string, query = '') {
  const res = await request(stack.app)
    .get(`/v1/webhook-endpoints/${endpointId}/deliveries${query}`)
    .set(bearer(owner.key))
    .expect(200);
  return res.body as {
    items: Array<{
      id: string;
      eventId: string;
      state: string;
      attemptCount: number;
      nextAttemptAt: string | null;
      attempts: Array<{
        attempt: number;
        statusCode: number | null;
        outcome: string;
        nextRetryAt: string | null;
      }>;
    }>;
    nextCursor: string | null;
  };
}

async function settled(owner: Tenant, endpointId: string, eventId: string) {
  return eventually(
    async () =>
      (await deliveries(owner, endpointId)).items.find(
        (item) => item.eventId === eventId && item.state !== 'pending',
      ),
    `delivery of ${eventId} settled`,
    10_000,
  );
}

const received = (path: string, count: number) =>
  eventually(
    () => (receiver.requests(path).length >= count ? receiver.requests(path) : undefined),
    `${count} at ${path}`,
    10_000,
  );

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await createTestStack(
    'webhooksout',
    { WEBHOOKS_ALLOW_PRIVATE: 'true' },
    {
      webhooks: {
        retrySchedule: createRetrySchedule({ delaysMs: [300, 300, 300], jitter: 0 }),
        sweepEveryMs: 300,
        sweepGraceMs: 0,
        schedulerRefreshMs: 300,
      },
    },
  );
  await stack.startWorkers();
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

describe('endpoints', () => {
  it('shows the whsec_ secret once, never in lists or reads, and stores it sealed', async () => {
    const owner = await tenant('Secrets');
    const created = await endpoint(owner, '/secret-check');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.events).toEqual(['*']);
    const list = await request(stack.app).get('/v1/webhook-endpoints').set(bearer(owner.key)).expect(200);
    const one = await request(stack.app)
      .get(`/v1/webhook-endpoints/${created.id}`)
      .set(bearer(owner.key))
      .expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([created.id]);
    for (const body of [list.body, one.body]) expect(JSON.stringify(body)).not.toContain(created.secret);
    const stored = await stack.models.WebhookEndpoint.findById(created.id).lean().exec();
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(6));
  });

  it('answers bad input with 400 problems and missing scopes with 403', async () => {
    const owner = await tenant('Validation');
    const post = (body: object, key = owner.key) =>
      request(stack.app).post('/v1/webhook-endpoints').set(bearer(key)).send(body);
    expect((await post({ url: `${receiver.url}/x`, events: ['order.eaten'] })).status).toBe(400);
    expect((await post({ events: ['*'] })).body.code).toBe('request.validation_failed');
    expect((await post({ url: 'not a url' })).body.code).toBe('webhook_endpoint.url_refused');
    const reader = await createApiKey(stack.models, owner.workspaceId, {
      name: 'ro',
      scopes: ['workspace:read'],
    });
    expect((await post({ url: `${receiver.url}/x` }, reader.key)).body.code).toBe('auth.scope_missing');
    await request(stack.app).get('/v1/webhook-endpoints/callback-secret').set(bearer(reader.key)).expect(403);
    await request(stack.app)
      .get('/v1/webhook-endpoints/0123456789abcdef01234567/deliveries?cursor=zzz')
      .set(bearer(owner.key))
      .expect(400);
  });

  it('refuses a cloud metadata address even when private addresses are allowed', async () => {
    const owner = await tenant('Metadata');
    const res = await request(stack.app)
      .post('/v1/webhook-endpoints')
      .set(bearer(owner.key))
      .send({ url: 'http://169.254.169.254/latest/meta-data/' })
      .expect(422);
    expect(res.body.detail).toContain('metadata');
  });
});

describe('delivery', () => {
  it('POSTs { type, timestamp, data } signed per Standard Webhooks, once per event id', async () => {
    const owner = await tenant('Signed');
    const { id, secret } = await endpoint(owner, '/signed', ['notification.status_changed']);
    await publish(owner, 'notification.status_changed', 'ntf_1.delivered', { status: 'delivered' });
    await publish(owner, 'notification.status_changed', 'ntf_1.delivered', { status: 'delivered' });
    const [first] = await received('/signed', 1);
    const verified = new Webhook(secret).verify(first?.rawBody ?? '', first?.headers ?? {}) as Record<
      string,
      unknown
    >;
    expect(verified).toMatchObject({
      type: 'notification.status_changed',
      data: { notificationId: 'ntf_1.delivered', status: 'delivered', phone },
    });
    expect(Date.parse(String(verified.timestamp))).not.toBeNaN();
    expect(first?.headers['webhook-id']).toBe('ntf_1.delivered');
    expect((await settled(owner, id, 'ntf_1.delivered')).state).toBe('succeeded');
    expect(receiver.requests('/signed')).toHaveLength(1);
    expect(stack.logLines.join('\n')).not.toContain(phone.slice(1));
  });

  it('retries a 500 with the same webhook-id and a fresh signature', async () => {
    const owner = await tenant('Retry');
    const { id, secret } = await endpoint(owner, '/flaky');
    receiver.script('/flaky', [{ status: 500, body: 'try later' }, { status: 204 }]);
    await publish(owner, 'template.moderated', 'tpl_7.approved');
    const attempts = await received('/flaky', 2);
    expect(attempts.map((attempt) => attempt.headers['webhook-id'])).toEqual([
      'tpl_7.approved',
      'tpl_7.approved',
    ]);
    for (const attempt of attempts)
      expect(() => new Webhook(secret).verify(attempt.rawBody, attempt.headers)).not.toThrow();
    const delivery = await settled(owner, id, 'tpl_7.approved');
    expect(delivery.state).toBe('succeeded');
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 204, 'succeeded'],
    ]);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const owner = await tenant('RetryAfter');
    const { id } = await endpoint(owner, '/busy');
    receiver.script('/busy', [{ status: 503, headers: { 'Retry-After': '1' } }, { status: 200 }]);
    await publish(owner, 'template.moderated', 'tpl_8.rejected');
    const [first, second] = await received('/busy', 2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1000);
    const delivery = await settled(owner, id, 'tpl_8.rejected');
    expect(delivery.attempts[0]?.nextRetryAt).not.toBeNull();
  });

  it('gives up after the last attempt of the schedule (dead)', async () => {
    const owner = await tenant('Dead');
    const { id } = await endpoint(owner, '/down');
    receiver.script('/down', [{ status: 500 }]);
    await publish(owner, 'template.moderated', 'tpl_9.approved');
    const delivery = await settled(owner, id, 'tpl_9.approved');
    expect(delivery).toMatchObject({ state: 'dead', attemptCount: 4, nextAttemptAt: null });
    expect(delivery.attempts.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'dead']);
  });

  it('disables the endpoint on 410 Gone and sends it nothing more', async () => {
    const owner = await tenant('Gone');
    const { id } = await endpoint(owner, '/gone');
    receiver.script('/gone', [{ status: 410 }]);
    await publish(owner, 'template.moderated', 'tpl_10.approved');
    expect((await settled(owner, id, 'tpl_10.approved')).state).toBe('failed');
    const read = await request(stack.app)
      .get(`/v1/webhook-endpoints/${id}`)
      .set(bearer(owner.key))
      .expect(200);
    expect(read.body).toMatchObject({ state: 'disabled', disabledReason: expect.stringContaining('410') });
    await publish(owner, 'template.moderated', 'tpl_11.approved');
    const log = await deliveries(owner, id);
    expect(log.items.map((item) => item.eventId)).toEqual(['tpl_10.approved']);
    const replay = await request(stack.app)
      .post(`/v1/webhook-endpoints/${id}/deliveries/${log.items[0]?.id}/replay`)
      .set(bearer(owner.key))
      .expect(409);
    expect(replay.body.code).toBe('webhook_endpoint.disabled');
    expect(receiver.requests('/gone')).toHaveLength(1);
  });

  it('never follows a redirect', async () => {
    const owner = await tenant('Redirect');
    const { id } = await endpoint(owner, '/moved');
    receiver.script('/moved', [{ status: 302, headers: { Location: `${receiver.url}/elsewhere` } }]);
    await publish(owner, 'template.moderated', 'tpl_12.approved');
    const delivery = await settled(owner, id, 'tpl_12.approved');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([302, 302, 302, 302]);
    expect(receiver.requests('/elsewhere')).toHaveLength(0);
  });

  it('sends each endpoint only the event types it subscribed to', async () => {
    const owner = await tenant('Filter');
    const inboundOnly = await endpoint(owner, '/inbound-only', ['message.inbound']);
    await endpoint(owner, '/everything', ['*']);
    await publish(owner, 'template.moderated', 'tpl_13.approved');
    await received('/everything', 1);
    await publish(owner, 'message.inbound', 'msg_1');
    const [inbound] = await received('/inbound-only', 1);
    expect(inbound?.headers['webhook-id']).toBe('msg_1');
    expect((await deliveries(owner, inboundOnly.id)).items.map((item) => item.eventId)).toEqual(['msg_1']);
  });

  it("signs a notification's callbackUrl delivery with the workspace callback secret, rotatable", async () => {
    const owner = await tenant('Callback');
    const secretOf = async (method: 'get' | 'post', path: string) =>
      (
        await request(stack.app)
          [method](`/v1/webhook-endpoints/callback-secret${path}`)
          .set(bearer(owner.key))
          .expect(200)
      ).body.secret as string;
    const secret = await secretOf('get', '');
    expect(await secretOf('get', '')).toBe(secret);
    await stack.events.publish(
      owner.workspaceId,
      'notification.status_changed',
      { n: 1 },
      {
        eventId: 'ntf_cb.sent',
        callbackUrl: `${receiver.url}/callback`,
      },
    );
    const [first] = await received('/callback', 1);
    expect(() => new Webhook(secret).verify(first?.rawBody ?? '', first?.headers ?? {})).not.toThrow();
    const rotated = await secretOf('post', '/rotate');
    expect(rotated).not.toBe(secret);
    await stack.events.publish(
      owner.workspaceId,
      'notification.status_changed',
      { n: 2 },
      {
        callbackUrl: `${receiver.url}/callback`,
      },
    );
    const second = (await received('/callback', 2))[1];
    expect(() => new Webhook(rotated).verify(second?.rawBody ?? '', second?.headers ?? {})).not.toThrow();
  });
});

describe('delivery log and replay', () => {
  it('pages the log newest first and replays a delivery with the same webhook-id', async () => {
    const owner = await tenant('Log');
    const { id, secret } = await endpoint(owner, '/log');
    for (const n of [1, 2, 3]) await publish(owner, 'template.moderated', `tpl_log_${n}`);
    await received('/log', 3);
    const firstPage = await deliveries(owner, id, '?limit=2');
    expect(firstPage.items.map((item) => item.eventId)).toEqual(['tpl_log_3', 'tpl_log_2']);
    const lastPage = await deliveries(owner, id, `?limit=2&cursor=${firstPage.nextCursor}`);
    expect(lastPage).toMatchObject({ nextCursor: null, items: [{ eventId: 'tpl_log_1' }] });
    const oldest = lastPage.items[0];
    await settled(owner, id, 'tpl_log_1');
    await request(stack.app)
      .post(`/v1/webhook-endpoints/${id}/deliveries/${oldest?.id}/replay`)
      .set(bearer(owner.key))
      .expect(202);
    const replayed = (await received('/log', 4)).filter((r) => r.headers['webhook-id'] === 'tpl_log_1');
    expect(replayed).toHaveLength(2);
    expect(() =>
      new Webhook(secret).verify(replayed[1]?.rawBody ?? '', replayed[1]?.headers ?? {}),
    ).not.toThrow();
    const after = await eventually(
      async () =>
        (await deliveries(owner, id)).items.find((i) => i.eventId === 'tpl_log_1' && i.attemptCount === 2),
      'the replay recorded',
    );
    expect(after.state).toBe('succeeded');
  });

  it('re-delivers through the sweeper when Redis loses the queued retry', async () => {
    const owner = await tenant('Flush');
    const { id } = await endpoint(owner, '/flush');
    receiver.script('/flush', [{ status: 503, headers: { 'Retry-After': '2' } }, { status: 200 }]);
    await publish(owner, 'template.moderated', 'tpl_flush');
    await received('/flush', 1);
    const [pending] = (
      await eventually(async () => {
        const log = await deliveries(owner, id);
        return log.items[0]?.attemptCount === 1 ? log : undefined;
      }, 'the first attempt recorded')
    ).items;
    const queue = stack.queues.queue(queueNames.webhookDeliveries);
    const job = await eventually(() => queue.getJob(pending?.id ?? ''), 'the delayed job');
    expect(job.data).toEqual({ deliveryId: pending?.id });
    await deleteKeys(stack.redis, `${stack.config.QUEUE_PREFIX}*`);
    expect(await queue.getJob(pending?.id ?? '')).toBeUndefined();
    await received('/flush', 2);
    expect((await settled(owner, id, 'tpl_flush')).state).toBe('succeeded');
  });
});

describe('tenant isolation', () => {
  it('answers 404 to another workspace on every endpoint route', async () => {
    const owner = await tenant('Victim');
    const attacker = await tenant('Attacker');
    const { id } = await endpoint(owner, '/victim');
    const own = await endpoint(attacker, '/attacker');
    await publish(owner, 'template.moderated', 'tpl_victim');
    const delivery = await settled(owner, id, 'tpl_victim');
    const list = await request(stack.app).get('/v1/webhook-endpoints').set(bearer(attacker.key)).expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([own.id]);
    await expectBolaMatrix(stack.app, {
      attacker: attacker.key,
      owner: owner.key,
      cases: [
        { method: 'get', path: `/v1/webhook-endpoints/${id}` },
        { method: 'get', path: `/v1/webhook-endpoints/${id}/deliveries` },
        { method: 'post', path: `/v1/webhook-endpoints/${id}/deliveries/${delivery.id}/replay` },
        { method: 'delete', path: `/v1/webhook-endpoints/${id}` },
      ],
    });
    await request(stack.app)
      .post(`/v1/webhook-endpoints/${own.id}/deliveries/${delivery.id}/replay`)
      .set(bearer(attacker.key))
      .expect(404);
  });
});
