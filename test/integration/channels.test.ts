import request from 'supertest';
import { queueNames } from '../../src/queue/queues';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually, startTestSandbox, type TestSandbox } from '../contract/helpers/sandbox-control';
import { expectBolaMatrix } from '../helpers/bola';
import { listenPublic, type PublicServer } from '../helpers/public-server';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/**
 * Channels end to end: the API stores and masks config, registers Telegram's webhook in the
 * sandbox, and the ingress verifies, dedupes and stores what the sandbox sends over real HTTP.
 */
let stack: TestStack;
let sandbox: TestSandbox;
let server: PublicServer;
let apiKey: string;
let otherKey: string;
let channelId: string;
let botToken: string;
let userId: string;

const auth = () => ({ Authorization: `Bearer ${apiKey}` });

beforeAll(async () => {
  server = await listenPublic();
  const publicUrl = server.url;
  stack = await createTestStack('channels', { PUBLIC_URL: publicUrl });
  server.server.on('request', stack.app);
  await stack.startWorkers();
  sandbox = await startTestSandbox('channels-integration');
  ({ apiKey } = await createWorkspace(stack.models, { name: 'Shop' }));
  ({ apiKey: otherKey } = await createWorkspace(stack.models, { name: 'Other' }));
  botToken = (await sandbox.control.createAccount<{ token: string }>('telegram')).token;
  userId = (await sandbox.control.createUser({ phone: '+79161234567', name: 'Анна' })).id;
});
afterAll(async () => {
  await server.close();
  await sandbox.close();
  await stack.close();
});

const telegramEvents = () => stack.models.ChannelEvent.find({ channelId }).lean().exec();

describe('channels API', () => {
  it('creates a Telegram channel, registers its webhook and never returns the token', async () => {
    const res = await request(stack.app)
      .post('/v1/channels')
      .set(auth())
      .send({
        type: 'telegram',
        name: 'Shop bot',
        config: { botToken, apiRoot: `${sandbox.sandbox.url}/telegram` },
      })
      .expect(201);
    channelId = res.body.id;
    expect(res.body.connection.state).toBe('registered');
    expect(res.body.webhookUrl).toMatch(new RegExp(`/webhooks/${channelId}$`));
    expect(res.body.config.botToken).toBe(`…${botToken.slice(-4)}`);
    expect(res.body.capabilities.text.maxLength).toBe(4096);
    expect(JSON.stringify(res.body)).not.toContain(botToken);
    const stored = await stack.models.Channel.findById(channelId).lean().exec();
    expect(JSON.stringify(stored)).not.toContain(botToken);
    const info = await fetch(`${sandbox.sandbox.url}/telegram/bot${botToken}/getWebhookInfo`).then(
      (r) => r.json() as Promise<{ result: { url: string } }>,
    );
    expect(info.result.url).toBe(res.body.webhookUrl);
  });

  it('lists, reads and renames within the workspace only', async () => {
    const list = await request(stack.app).get('/v1/channels').set(auth()).expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([channelId]);
    const renamed = await request(stack.app)
      .patch(`/v1/channels/${channelId}`)
      .set(auth())
      .send({ name: 'Bot' })
      .expect(200);
    expect(renamed.body.name).toBe('Bot');
    const other = await request(stack.app)
      .get('/v1/channels')
      .set({ Authorization: `Bearer ${otherKey}` })
      .expect(200);
    expect(other.body.items).toEqual([]);
  });

  it('refuses a config that does not fit the type, naming the field', async () => {
    const res = await request(stack.app)
      .post('/v1/channels')
      .set(auth())
      .send({ type: 'telegram', name: 'Broken', config: { botToken: 'nope' } })
      .expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('channel.config_invalid');
    expect(res.body.errors.map((error: { path: string }) => error.path)).toContain('config.botToken');
    await request(stack.app)
      .post('/v1/channels')
      .set(auth())
      .send({ type: 'pigeon', name: 'x', config: {} })
      .expect(400);
  });

  it('keeps a secret that a PATCH leaves out', async () => {
    await request(stack.app)
      .patch(`/v1/channels/${channelId}`)
      .set(auth())
      .send({ config: { apiRoot: `${sandbox.sandbox.url}/telegram` } })
      .expect(200);
    const res = await request(stack.app).get(`/v1/channels/${channelId}`).set(auth()).expect(200);
    expect(res.body.config.botToken).toBe(`…${botToken.slice(-4)}`);
    expect(res.body.connection.state).toBe('registered');
  });

  it('lets exactly one of two concurrent PATCHes of the same channel win; the other is 409', async () => {
    const patch = (body: object) =>
      request(stack.app).patch(`/v1/channels/${channelId}`).set(auth()).send(body);
    const apiRoot = `${sandbox.sandbox.url}/telegram`;
    const results = await Promise.all([
      patch({ name: 'Bot A' }),
      patch({ name: 'Bot B', config: { apiRoot } }),
    ]);
    expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
    const loser = results.find((res) => res.status === 409);
    expect(loser?.body.code).toBe('resource.conflict');
    const winner = results.find((res) => res.status === 200);
    const now = await request(stack.app).get(`/v1/channels/${channelId}`).set(auth()).expect(200);
    expect(now.body.name).toBe(winner?.body.name);
    expect((await patch({ name: 'Bot' }).expect(200)).body.name).toBe('Bot');
  });

  it('takes over a change claimed by a caller that died more than a minute ago', async () => {
    const channel = await stack.models.Channel.findById(channelId).lean().exec();
    if (!channel) throw new Error('channel missing');
    const claim = { workspaceId: channel.workspaceId, channelId: channel._id, seq: channel.seq };
    await stack.models.ChannelClaim.collection.insertOne({
      ...claim,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const busy = await request(stack.app)
      .patch(`/v1/channels/${channelId}`)
      .set(auth())
      .send({ name: 'Busy' });
    expect(busy.status).toBe(409);
    const minutesAgo = new Date(Date.now() - 2 * 60_000);
    await stack.models.ChannelClaim.collection.updateOne(
      { channelId: channel._id, seq: channel.seq },
      { $set: { createdAt: minutesAgo } },
    );
    const taken = await request(stack.app)
      .patch(`/v1/channels/${channelId}`)
      .set(auth())
      .send({ name: 'Bot' });
    expect(taken.status).toBe(200);
  });
});

describe('webhook ingress', () => {
  it('stores a user message as one event and processes it off the request path', async () => {
    await sandbox.control.userMessage(userId, { platform: 'telegram', text: 'Где мой заказ?' });
    const event = await eventually(
      async () => (await telegramEvents()).find((doc) => doc.state === 'processed'),
      'a processed event',
    );
    expect(event.type).toBe('inbound-message');
    expect((event.event as { text: string }).text).toBe('Где мой заказ?');
    expect(event.raw).toContain('Где мой заказ?');
  });

  it('refuses a wrong secret with 401 and stores and queues nothing', async () => {
    const before = (await telegramEvents()).length;
    const queued = await stack.queues
      .queue(queueNames.channelEvents)
      .getJobCountByTypes('waiting', 'active', 'completed', 'delayed', 'failed');
    const update = {
      update_id: 1,
      message: { message_id: 9, date: 1, chat: { id: 1, type: 'private' }, text: 'forged' },
    };
    const res = await request(stack.app)
      .post(`/webhooks/${channelId}`)
      .set('X-Telegram-Bot-Api-Secret-Token', 'wrong')
      .send(update)
      .expect(401);
    expect(res.body.code).toBe('webhook.unauthorized');
    await request(stack.app).post(`/webhooks/${channelId}`).send(update).expect(401);
    expect((await telegramEvents()).length).toBe(before);
    expect(
      await stack.queues
        .queue(queueNames.channelEvents)
        .getJobCountByTypes('waiting', 'active', 'completed', 'delayed', 'failed'),
    ).toBe(queued);
  });

  it('turns the same webhook delivered five times at once into one event', async () => {
    await sandbox.control.addFault({ platform: 'telegram', kind: 'duplicate-callbacks', times: 5, count: 1 });
    await sandbox.control.userMessage(userId, { platform: 'telegram', text: 'дубль' });
    const calls = await eventually(async () => {
      const { callbacks } = await sandbox.control.call<{
        callbacks: Array<{ body: string; status: number | null }>;
      }>('GET', '/callbacks?platform=telegram');
      const copies = callbacks.filter((entry) => entry.body.includes('дубль'));
      return copies.length >= 5 ? copies : undefined;
    }, 'five deliveries');
    expect(calls.every((call) => call.status === 200)).toBe(true);
    const events = (await telegramEvents()).filter(
      (doc) => (doc.event as { text?: string }).text === 'дубль',
    );
    expect(events).toHaveLength(1);
  });

  it('answers a malformed body 400 and an unknown channel 404, never 500', async () => {
    const setWebhook = (await sandbox.control.requests('telegram')).findLast((entry) =>
      entry.path.endsWith('/setWebhook'),
    );
    const secret = (setWebhook?.body as { secret_token?: string } | undefined)?.secret_token ?? '';
    expect(secret.length).toBeGreaterThan(20);
    const before = (await telegramEvents()).length;
    const res = await request(stack.app)
      .post(`/webhooks/${channelId}`)
      .set('X-Telegram-Bot-Api-Secret-Token', secret)
      .set('Content-Type', 'application/json')
      .send('{"update_id": 5, "message": ')
      .expect(400);
    expect(res.body.code).toBe('webhook.malformed');
    expect((await telegramEvents()).length).toBe(before);
    await request(stack.app).post('/webhooks/0123456789abcdef01234567').send({}).expect(404);
    await request(stack.app).post('/webhooks/not-an-id').send({}).expect(404);
  });

  it('downloads a photo into GridFS and serves it inline, a document as an attachment', async () => {
    await sandbox.control.userMessage(userId, {
      platform: 'telegram',
      text: 'фото',
      attachment: { kind: 'photo' },
    });
    await sandbox.control.userMessage(userId, {
      platform: 'telegram',
      text: 'чек',
      attachment: {
        kind: 'document',
        fileName: 'receipt.html',
        mimeType: 'text/html',
        contentBase64: Buffer.from('<script>alert(1)</script>').toString('base64'),
      },
    });
    const withFile = async (text: string) =>
      eventually(async () => {
        const doc = (await telegramEvents()).find(
          (candidate) => (candidate.event as { text?: string }).text === text,
        );
        return doc?.state === 'processed' && doc.files[0]?.fileId ? doc.files[0] : undefined;
      }, `the file of "${text}"`);
    const photo = await withFile('фото');
    const image = await request(stack.app)
      .get(`/v1/attachments/${String(photo.fileId)}`)
      .set(auth())
      .expect(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.headers['content-disposition']).toMatch(/^inline/);
    const document = await withFile('чек');
    const file = await request(stack.app)
      .get(`/v1/attachments/${String(document.fileId)}`)
      .set(auth())
      .buffer(true)
      .expect(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="receipt.html"');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    await request(stack.app)
      .get(`/v1/attachments/${String(document.fileId)}`)
      .set({ Authorization: `Bearer ${otherKey}` })
      .expect(404);
  });
});

describe('bad input', () => {
  it('answers problem+json 4xx, never 500, on the channel and webhook routes', async () => {
    const cases: Array<[string, () => request.Test, number]> = [
      [
        'config not an object',
        () =>
          request(stack.app)
            .post('/v1/channels')
            .set(auth())
            .send({ type: 'telegram', name: 'x', config: 'token' }),
        400,
      ],
      [
        'unknown field',
        () =>
          request(stack.app)
            .post('/v1/channels')
            .set(auth())
            .send({ type: 'telegram', name: 'x', config: {}, extra: 1 }),
        400,
      ],
      ['empty patch', () => request(stack.app).patch(`/v1/channels/${channelId}`).set(auth()).send({}), 400],
      [
        'bad limit',
        () => request(stack.app).get(`/v1/channels/${channelId}/events?limit=lots`).set(auth()),
        400,
      ],
      ['no credentials', () => request(stack.app).get('/v1/channels'), 401],
      ['GET on a Telegram webhook', () => request(stack.app).get(`/webhooks/${channelId}`), 401],
      [
        'oversized webhook',
        () =>
          request(stack.app)
            .post(`/webhooks/${channelId}`)
            .set('Content-Type', 'application/json')
            .send(`"${'x'.repeat(2 * 1024 * 1024)}"`),
        413,
      ],
    ];
    for (const [what, send, status] of cases) {
      const res = await send();
      expect({ what, status: res.status, type: res.headers['content-type'] }).toEqual({
        what,
        status,
        type: expect.stringContaining('application/problem+json'),
      });
    }
  });
});

describe('removing a channel', () => {
  it('is refused to other workspaces, then unregisters the webhook and forgets the channel', async () => {
    // Another workspace gets 404 on every id; the owner's own DELETE (last case) removes it.
    await expectBolaMatrix(stack.app, {
      attacker: otherKey,
      owner: apiKey,
      cases: [
        { method: 'get', path: `/v1/channels/${channelId}` },
        { method: 'get', path: `/v1/channels/${channelId}/events` },
        { method: 'patch', path: `/v1/channels/${channelId}`, body: { name: 'stolen' } },
        { method: 'delete', path: `/v1/channels/${channelId}` },
      ],
    });

    await request(stack.app).get(`/v1/channels/${channelId}`).set(auth()).expect(404);
    const info = await fetch(`${sandbox.sandbox.url}/telegram/bot${botToken}/getWebhookInfo`).then(
      (r) => r.json() as Promise<{ result: { url: string } }>,
    );
    expect(info.result.url).toBe('');
  });
});
