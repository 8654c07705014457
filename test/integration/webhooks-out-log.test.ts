import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { queueNames } from '../../src/queue/queues';
import { eventually } from '../contract/helpers/sandbox-control';
import { expectBolaMatrix } from '../helpers/bola';
import { deleteKeys } from '../helpers/test-stack';
import { bearer, setUpWebhookTestBed } from '../helpers/webhook-fixture';

/** The delivery log, replay, the sweeper after Redis lost a job, and workspace isolation of every route. */
const bed = setUpWebhookTestBed('webhookslog');

describe('delivery log and replay', () => {
  it('pages the log newest first and replays a delivery with the same webhook-id', async () => {
    const owner = await bed.fx.tenant('Log');
    const { id, secret } = await bed.fx.endpoint(owner, '/log');
    for (const n of [1, 2, 3]) await bed.fx.publish(owner, 'template.moderated', `tpl_log_${n}`);
    await bed.fx.received('/log', 3);
    const firstPage = await bed.fx.deliveries(owner, id, '?limit=2');
    expect(firstPage.items.map((item) => item.eventId)).toEqual(['tpl_log_3', 'tpl_log_2']);
    const lastPage = await bed.fx.deliveries(owner, id, `?limit=2&cursor=${firstPage.nextCursor}`);
    expect(lastPage).toMatchObject({ nextCursor: null, items: [{ eventId: 'tpl_log_1' }] });
    const oldest = lastPage.items[0];
    await bed.fx.settled(owner, id, 'tpl_log_1');
    await request(bed.stack.app)
      .post(`/v1/webhook-endpoints/${id}/deliveries/${oldest?.id}/replay`)
      .set(bearer(owner.key))
      .expect(202);
    const replayed = (await bed.fx.received('/log', 4)).filter(
      (r) => r.headers['webhook-id'] === 'tpl_log_1',
    );
    expect(replayed).toHaveLength(2);
    expect(() =>
      new Webhook(secret).verify(replayed[1]?.rawBody ?? '', replayed[1]?.headers ?? {}),
    ).not.toThrow();
    const after = await eventually(
      async () =>
        (await bed.fx.deliveries(owner, id)).items.find(
          (i) => i.eventId === 'tpl_log_1' && i.attemptCount === 2,
        ),
      'the replay recorded',
    );
    expect(after.state).toBe('succeeded');
  });

  it('re-delivers through the sweeper when Redis loses the queued retry', async () => {
    const owner = await bed.fx.tenant('Flush');
    const { id } = await bed.fx.endpoint(owner, '/flush');
    bed.receiver.script('/flush', [{ status: 503, headers: { 'Retry-After': '2' } }, { status: 200 }]);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_flush');
    await bed.fx.received('/flush', 1);
    const [pending] = (
      await eventually(async () => {
        const log = await bed.fx.deliveries(owner, id);
        return log.items[0]?.attemptCount === 1 ? log : undefined;
      }, 'the first attempt recorded')
    ).items;
    const queue = bed.stack.queues.queue(queueNames.webhookDeliveries);
    const job = await eventually(() => queue.getJob(pending?.id ?? ''), 'the delayed job');
    expect(job.data).toEqual({ deliveryId: pending?.id });
    await deleteKeys(bed.stack.redis, `${bed.stack.config.QUEUE_PREFIX}*`);
    expect(await queue.getJob(pending?.id ?? '')).toBeUndefined();
    await bed.fx.received('/flush', 2);
    expect((await bed.fx.settled(owner, id, 'tpl_flush')).state).toBe('succeeded');
  });
});

describe('attempt record', () => {
  it('keeps the first 1024 characters of a large multi-byte answer', async () => {
    const owner = await bed.fx.tenant('Big answer');
    const { id } = await bed.fx.endpoint(owner, '/big-answer');
    bed.receiver.script('/big-answer', [{ status: 200, body: 'я'.repeat(50_000) }]);
    await bed.fx.publish(owner, 'template.moderated', 'tpl_big_answer');
    const delivery = await bed.fx.settled(owner, id, 'tpl_big_answer');
    expect(delivery.attempts[0]?.responseSnippet).toBe('я'.repeat(1024));
  });
});

describe('tenant isolation', () => {
  it('answers 404 to another workspace on every endpoint route', async () => {
    const owner = await bed.fx.tenant('Victim');
    const attacker = await bed.fx.tenant('Attacker');
    const { id } = await bed.fx.endpoint(owner, '/victim');
    const own = await bed.fx.endpoint(attacker, '/attacker');
    await bed.fx.publish(owner, 'template.moderated', 'tpl_victim');
    const delivery = await bed.fx.settled(owner, id, 'tpl_victim');
    const list = await request(bed.stack.app)
      .get('/v1/webhook-endpoints')
      .set(bearer(attacker.key))
      .expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([own.id]);
    await expectBolaMatrix(bed.stack.app, {
      attacker: attacker.key,
      owner: owner.key,
      cases: [
        { method: 'get', path: `/v1/webhook-endpoints/${id}` },
        { method: 'get', path: `/v1/webhook-endpoints/${id}/deliveries` },
        { method: 'post', path: `/v1/webhook-endpoints/${id}/deliveries/${delivery.id}/replay` },
        { method: 'delete', path: `/v1/webhook-endpoints/${id}` },
      ],
    });
    await request(bed.stack.app)
      .post(`/v1/webhook-endpoints/${own.id}/deliveries/${delivery.id}/replay`)
      .set(bearer(attacker.key))
      .expect(404);
  });
});

describe('bad input', () => {
  it('answers problem+json 4xx, never 500, on the endpoint routes', async () => {
    const owner = await bed.fx.tenant('Bad input');
    const { id } = await bed.fx.endpoint(owner, '/bad-input');
    const app = request(bed.stack.app);
    const cases: Array<[string, () => request.Test, number]> = [
      [
        'unknown field',
        () => app.post('/v1/webhook-endpoints').send({ url: 'https://x.test', extra: 1 }),
        400,
      ],
      ['url not a string', () => app.post('/v1/webhook-endpoints').send({ url: 42 }), 400],
      [
        'unknown event',
        () => app.post('/v1/webhook-endpoints').send({ url: 'https://x.test', events: ['x'] }),
        400,
      ],
      ['no events', () => app.post('/v1/webhook-endpoints').send({ url: 'https://x.test', events: [] }), 400],
      ['not a URL', () => app.post('/v1/webhook-endpoints').send({ url: 'not a url' }), 422],
      ['bad limit', () => app.get(`/v1/webhook-endpoints/${id}/deliveries?limit=lots`), 400],
      ['two limits', () => app.get(`/v1/webhook-endpoints/${id}/deliveries?limit=1&limit=2`), 400],
      ['bad cursor', () => app.get(`/v1/webhook-endpoints/${id}/deliveries?cursor=zz`), 400],
      ['malformed endpoint id', () => app.get('/v1/webhook-endpoints/not-an-id/deliveries'), 404],
      ['malformed delivery id', () => app.post(`/v1/webhook-endpoints/${id}/deliveries/x/replay`), 404],
      ['malformed id on delete', () => app.delete('/v1/webhook-endpoints/not-an-id'), 404],
    ];
    for (const [label, send, status] of cases) {
      const res = await send().set(bearer(owner.key));
      expect({ label, status: res.status }).toEqual({ label, status });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await app.delete(`/v1/webhook-endpoints/${id}`).set(bearer(owner.key)).expect(204);
    await app.delete(`/v1/webhook-endpoints/${id}`).set(bearer(owner.key)).expect(404);
  });
});
