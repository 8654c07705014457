import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import { bearer, testPhone as phone, setUpWebhookTestBed } from '../helpers/webhook-fixture';

/**
 * Outbound webhooks end to end: real app, FerretDB, Redis and delivery worker, POSTing to a real
 * HTTP receiver on 127.0.0.1 (allowed by WEBHOOKS_ALLOW_PRIVATE=true). Retries are 300 ms apart
 * (injected schedule) instead of minutes; four attempts in all.
 */
const bed = setUpWebhookTestBed('webhooksout');

describe('endpoints', () => {
  it('shows the whsec_ secret once, never in lists or reads, and stores it sealed', async () => {
    const owner = await bed.fx.tenant('Secrets');
    const created = await bed.fx.endpoint(owner, '/secret-check');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.events).toEqual(['*']);
    const list = await request(bed.stack.app).get('/v1/webhook-endpoints').set(bearer(owner.key)).expect(200);
    const one = await request(bed.stack.app)
      .get(`/v1/webhook-endpoints/${created.id}`)
      .set(bearer(owner.key))
      .expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([created.id]);
    for (const body of [list.body, one.body]) expect(JSON.stringify(body)).not.toContain(created.secret);
    const stored = await bed.stack.models.WebhookEndpoint.findById(created.id).lean().exec();
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(6));
  });

  it('answers bad input with 400 problems and missing scopes with 403', async () => {
    const owner = await bed.fx.tenant('Validation');
    const post = (body: object, key = owner.key) =>
      request(bed.stack.app).post('/v1/webhook-endpoints').set(bearer(key)).send(body);
    expect((await post({ url: `${bed.receiver.url}/x`, events: ['order.eaten'] })).status).toBe(400);
    expect((await post({ events: ['*'] })).body.code).toBe('request.validation_failed');
    expect((await post({ url: 'not a url' })).body.code).toBe('webhook_endpoint.url_refused');
    const reader = await createApiKey(bed.stack.models, owner.workspaceId, {
      name: 'ro',
      scopes: ['workspace:read'],
    });
    expect((await post({ url: `${bed.receiver.url}/x` }, reader.key)).body.code).toBe('auth.scope_missing');
    await request(bed.stack.app)
      .get('/v1/webhook-endpoints/callback-secret')
      .set(bearer(reader.key))
      .expect(403);
    await request(bed.stack.app)
      .get('/v1/webhook-endpoints/0123456789abcdef01234567/deliveries?cursor=zzz')
      .set(bearer(owner.key))
      .expect(400);
  });

  it('stops at 20 endpoints per workspace', async () => {
    const owner = await bed.fx.tenant('Many');
    for (let n = 0; n < 20; n += 1) await bed.fx.endpoint(owner, `/many-${n}`);
    const res = await request(bed.stack.app)
      .post('/v1/webhook-endpoints')
      .set(bearer(owner.key))
      .send({ url: `${bed.receiver.url}/one-too-many` })
      .expect(409);
    expect(res.body.code).toBe('webhook_endpoint.limit_reached');
  });

  it('refuses a cloud metadata address even when private addresses are allowed', async () => {
    const owner = await bed.fx.tenant('Metadata');
    const res = await request(bed.stack.app)
      .post('/v1/webhook-endpoints')
      .set(bearer(owner.key))
      .send({ url: 'http://169.254.169.254/latest/meta-data/' })
      .expect(422);
    expect(res.body.detail).toContain('metadata');
  });
});

describe('delivery', () => {
  it('POSTs { type, timestamp, data } signed per Standard Webhooks, once per event id', async () => {
    const owner = await bed.fx.tenant('Signed');
    const { id, secret } = await bed.fx.endpoint(owner, '/signed', ['notification.status_changed']);
    await bed.fx.publish(owner, 'notification.status_changed', 'ntf_1.delivered', { status: 'delivered' });
    await bed.fx.publish(owner, 'notification.status_changed', 'ntf_1.delivered', { status: 'delivered' });
    const [first] = await bed.fx.received('/signed', 1);
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
    expect((await bed.fx.settled(owner, id, 'ntf_1.delivered')).state).toBe('succeeded');
    expect(bed.receiver.requests('/signed')).toHaveLength(1);
    expect(bed.stack.logLines.join('\n')).not.toContain(phone.slice(1));
  });

  it('retries a 500 with the same webhook-id and a fresh signature', async () => {
    const owner = await bed.fx.tenant('Retry');
    const { id, secret } = await bed.fx.endpoint(owner, '/flaky');
    bed.receiver.script('/flaky', [{ status: 500, body: 'try later' }, { status: 204 }]);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_7.approved');
    const attempts = await bed.fx.received('/flaky', 2);
    expect(attempts.map((attempt) => attempt.headers['webhook-id'])).toEqual([
      'tpl_7.approved',
      'tpl_7.approved',
    ]);
    for (const attempt of attempts)
      expect(() => new Webhook(secret).verify(attempt.rawBody, attempt.headers)).not.toThrow();
    const delivery = await bed.fx.settled(owner, id, 'tpl_7.approved');
    expect(delivery.state).toBe('succeeded');
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 204, 'succeeded'],
    ]);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const owner = await bed.fx.tenant('RetryAfter');
    const { id } = await bed.fx.endpoint(owner, '/busy');
    bed.receiver.script('/busy', [{ status: 503, headers: { 'Retry-After': '1' } }, { status: 200 }]);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_8.rejected');
    const [first, second] = await bed.fx.received('/busy', 2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1000);
    const delivery = await bed.fx.settled(owner, id, 'tpl_8.rejected');
    expect(delivery.attempts[0]?.nextRetryAt).not.toBeNull();
  });

  it('gives up after the last attempt of the schedule (dead)', async () => {
    const owner = await bed.fx.tenant('Dead');
    const { id } = await bed.fx.endpoint(owner, '/down');
    bed.receiver.script('/down', [{ status: 500 }]);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_9.approved');
    const delivery = await bed.fx.settled(owner, id, 'tpl_9.approved');
    expect(delivery).toMatchObject({ state: 'dead', attemptCount: 4, nextAttemptAt: null });
    expect(delivery.attempts.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'dead']);
  });

  it('disables the endpoint on 410 Gone and sends it nothing more', async () => {
    const owner = await bed.fx.tenant('Gone');
    const { id } = await bed.fx.endpoint(owner, '/gone');
    bed.receiver.script('/gone', [{ status: 410 }]);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_10.approved');
    expect((await bed.fx.settled(owner, id, 'tpl_10.approved')).state).toBe('failed');
    const read = await request(bed.stack.app)
      .get(`/v1/webhook-endpoints/${id}`)
      .set(bearer(owner.key))
      .expect(200);
    expect(read.body).toMatchObject({ state: 'disabled', disabledReason: expect.stringContaining('410') });
    await bed.fx.publish(owner, 'template.moderated', 'tpl_11.approved');
    const log = await bed.fx.deliveries(owner, id);
    expect(log.items.map((item) => item.eventId)).toEqual(['tpl_10.approved']);
    const replay = await request(bed.stack.app)
      .post(`/v1/webhook-endpoints/${id}/deliveries/${log.items[0]?.id}/replay`)
      .set(bearer(owner.key))
      .expect(409);
    expect(replay.body.code).toBe('webhook_endpoint.disabled');
    expect(bed.receiver.requests('/gone')).toHaveLength(1);
  });

  it('never follows a redirect', async () => {
    const owner = await bed.fx.tenant('Redirect');
    const { id } = await bed.fx.endpoint(owner, '/moved');
    bed.receiver.script('/moved', [{ status: 302, headers: { Location: `${bed.receiver.url}/elsewhere` } }]);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_12.approved');
    const delivery = await bed.fx.settled(owner, id, 'tpl_12.approved');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([302, 302, 302, 302]);
    expect(bed.receiver.requests('/elsewhere')).toHaveLength(0);
  });

  it('sends each endpoint only the event types it subscribed to', async () => {
    const owner = await bed.fx.tenant('Filter');
    const inboundOnly = await bed.fx.endpoint(owner, '/inbound-only', ['message.inbound']);
    await bed.fx.endpoint(owner, '/everything', ['*']);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_13.approved');
    await bed.fx.received('/everything', 1);
    await bed.fx.publish(owner, 'message.inbound', 'msg_1');
    const [inbound] = await bed.fx.received('/inbound-only', 1);
    expect(inbound?.headers['webhook-id']).toBe('msg_1');
    expect((await bed.fx.deliveries(owner, inboundOnly.id)).items.map((item) => item.eventId)).toEqual([
      'msg_1',
    ]);
  });

  it("signs a notification's callbackUrl delivery with the workspace callback secret, rotatable", async () => {
    const owner = await bed.fx.tenant('Callback');
    const secretOf = async (method: 'get' | 'post', path: string) =>
      (
        await request(bed.stack.app)
          [method](`/v1/webhook-endpoints/callback-secret${path}`)
          .set(bearer(owner.key))
          .expect(200)
      ).body.secret as string;
    const secret = await secretOf('get', '');
    expect(await secretOf('get', '')).toBe(secret);
    await bed.stack.events.publish(
      owner.workspaceId,
      'notification.status_changed',
      { n: 1 },
      {
        eventId: 'ntf_cb.sent',
        callbackUrl: `${bed.receiver.url}/callback`,
      },
    );
    const [first] = await bed.fx.received('/callback', 1);
    expect(() => new Webhook(secret).verify(first?.rawBody ?? '', first?.headers ?? {})).not.toThrow();
    const rotated = await secretOf('post', '/rotate');
    expect(rotated).not.toBe(secret);
    await bed.stack.events.publish(
      owner.workspaceId,
      'notification.status_changed',
      { n: 2 },
      {
        callbackUrl: `${bed.receiver.url}/callback`,
      },
    );
    const second = (await bed.fx.received('/callback', 2))[1];
    expect(() => new Webhook(rotated).verify(second?.rawBody ?? '', second?.headers ?? {})).not.toThrow();
  });
});
