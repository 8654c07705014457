import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { Types } from 'mongoose';
import request from 'supertest';
import { type BotFlowsLayer, createBotFlowsLayer } from '../../inbox/bot/bot-flows-layer';
import { purgeOldBotTurns, recordBotTurn } from '../../inbox/bot/bot-turn-log';
import { createFlowChangeBus } from '../../inbox/bot/flow-change-bus';
import type { FlowHints } from '../../inbox/bot/flow-precedence';
import { createFlowRegistry } from '../../inbox/bot/flow-registry';
import type { FlowChannel } from '../../inbox/bot/flow-registry-port';
import { createApiKey } from '../../src/auth/api-keys';
import { createApp } from '../../src/http/app';
import { createHttpMetrics } from '../../src/http/http-metrics';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually } from '../contract/helpers/sandbox-control';
import { createTestStack, type TestStack } from '../helpers/test-stack';

let stack: TestStack;
let layer: BotFlowsLayer;
let app: Express;

/** The test stack's app with this layer's routes (whatever the inbox layer mounts already). */
function appWith(flows: BotFlowsLayer): Express {
  const inboxRoutes = stack.inbox.routes.filter((route) => !route.path.startsWith('/bot-flows'));
  return createApp({
    ...stack,
    metrics: createHttpMetrics(),
    onCredentialRevoked: async () => {},
    publicUrl: 'http://127.0.0.1:0',
    version: 'test',
    inbox: { ...stack.inbox, routes: [...inboxRoutes, ...flows.routes] },
  });
}

let flowsDir: string;

beforeAll(async () => {
  flowsDir = await mkdtemp(path.join(tmpdir(), 'vestnik-bot-flows-api-'));
  stack = await createTestStack('bot-flows-api', { BOT_FLOWS_DIR: flowsDir });
  layer = createBotFlowsLayer(stack);
  await layer.start();
  app = appWith(layer);
}, 60_000);
afterAll(async () => {
  await layer?.stop();
  await stack?.close();
  await rm(flowsDir, { recursive: true, force: true });
});

interface Tenant {
  workspaceId: WorkspaceId;
  key: string;
}

async function tenant(name: string): Promise<Tenant> {
  const created = await createWorkspace(stack.models, { name });
  return { workspaceId: trustedWorkspaceId(created.workspaceId), key: created.apiKey };
}

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const upload = (key: string, source: string, type = 'application/yaml', query = '') =>
  request(app).post(`/v1/bot-flows${query}`).set(auth(key)).set('Content-Type', type).send(source);
const get = (key: string, path: string) => request(app).get(`/v1${path}`).set(auth(key));
const post = (key: string, path: string, body?: object) =>
  request(app)
    .post(`/v1${path}`)
    .set(auth(key))
    .send(body ?? {});

/** A FAQ flow whose answers carry a marker, so a test can tell versions apart. */
function faqFlow(name: string, marker: string, extra?: string): string {
  return [
    `flow: ${name}`,
    ...(extra ? [extra] : []),
    'faq:',
    '  - id: delivery',
    '    questions: [Сколько стоит доставка?]',
    `    answer: Доставка 300 ₽ (${marker})`,
    '  - id: returns',
    '    questions: [Как вернуть товар?]',
    `    answer: В течение 14 дней (${marker})`,
    '',
  ].join('\n');
}

const telegram: FlowChannel = { id: new Types.ObjectId().toHexString(), type: 'telegram' };
const noHints: FlowHints = { current: null, replyToTemplate: null };

describe('uploading flows', () => {
  let shop: Tenant;
  beforeAll(async () => {
    shop = await tenant('Upload shop');
  });

  it('stores a YAML file as version 1 of the flow it names, active at once', async () => {
    const res = await upload(shop.key, faqFlow('shop', 'v1'));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      name: 'shop',
      version: 1,
      active: true,
      channels: [],
      notifications: [],
      entryCount: 2,
      createdAt: expect.any(String),
    });
    const active = await layer.registry.flowFor(shop.workspaceId, telegram, noHints);
    expect(active).toMatchObject({ origin: 'api', version: 1, flow: { name: 'shop' } });
  });

  it('keeps a JSON file as the text it was sent, and serves it back with its type', async () => {
    const json =
      '{\n  "flow": "json-flow",\n  "channels": ["vk"],\n  "faq": [\n    { "id": "hi", "questions": ["привет"], "answer": "Здравствуйте!" }\n  ]\n}\n';
    const res = await upload(shop.key, json, 'application/json');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'json-flow', version: 1, channels: ['vk'], entryCount: 1 });
    const source = await get(shop.key, '/bot-flows/json-flow/versions/1/source');
    expect(source.status).toBe(200);
    expect(source.headers['content-type']).toMatch(/^application\/json/);
    expect(source.text).toBe(json);
  });

  it('answers an identical re-upload of the active version with 200 and stores nothing', async () => {
    const res = await upload(shop.key, faqFlow('shop', 'v1'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'shop', version: 1, active: true });
    const versions = await get(shop.key, '/bot-flows/shop/versions');
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it('lists versions newest first with who uploaded them, and rolls back to an older one', async () => {
    expect((await upload(shop.key, faqFlow('shop', 'v2'))).body).toMatchObject({ version: 2, active: true });
    expect((await layer.registry.flowFor(shop.workspaceId, telegram, noHints))?.version).toBe(2);
    const versions = await get(shop.key, '/bot-flows/shop/versions');
    expect(versions.status).toBe(200);
    expect(versions.body.items).toEqual([
      expect.objectContaining({ version: 2, active: true, format: 'yaml' }),
      expect.objectContaining({ version: 1, active: false }),
    ]);
    expect(versions.body.items[0].createdBy).toEqual({
      type: 'api-key',
      id: expect.any(String),
      name: expect.any(String),
    });

    const rolledBack = await post(shop.key, '/bot-flows/shop/rollback', { version: 1 });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({
      name: 'shop',
      activeVersion: 1,
      latestVersion: 2,
      origin: 'api',
    });
    expect((await layer.registry.flowFor(shop.workspaceId, telegram, noHints))?.version).toBe(1);
    const source = await get(shop.key, '/bot-flows/shop/versions/1/source');
    expect(source.headers['content-type']).toMatch(/^application\/yaml/);
    expect(source.text).toBe(faqFlow('shop', 'v1'));
  });

  it('refuses a rollback to a version never uploaded', async () => {
    const res = await post(shop.key, '/bot-flows/shop/rollback', { version: 99 });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('bot_flow.version_not_found');
    expect((await post(shop.key, '/bot-flows/nope/rollback', { version: 1 })).body.code).toBe(
      'bot_flow.not_found',
    );
  });

  it('stores without activating with ?activate=false', async () => {
    const res = await upload(shop.key, faqFlow('shop', 'v3'), 'text/yaml', '?activate=false');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 3, active: false });
    expect((await layer.registry.flowFor(shop.workspaceId, telegram, noHints))?.version).toBe(1);
    expect((await get(shop.key, '/bot-flows/shop')).body).toMatchObject({
      activeVersion: 1,
      latestVersion: 3,
    });
  });

  it('answers an invalid file with 422 naming file, path, line and column of every problem', async () => {
    const res = await upload(
      shop.key,
      'flow: broken\nfaq:\n  - id: a\n    questions: [hi]\n    anwser: hello\n',
    );
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('bot_flow.invalid');
    expect(res.body.errors).toEqual([
      {
        file: 'flow.yaml',
        path: 'faq[0]',
        line: 3,
        column: 5,
        message: expect.stringContaining('exactly one of answer'),
      },
      {
        file: 'flow.yaml',
        path: 'faq[0].anwser',
        line: 5,
        column: 5,
        message: expect.stringContaining('did you mean "answer"'),
      },
    ]);
    const json = await upload(
      shop.key,
      '{\n  "flow": "broken",\n  "faq": [ { "id": "a", "questions": ["hi"], "answer": "" } ]\n}',
      'application/json',
    );
    expect(json.status).toBe(422);
    expect(json.body.errors).toEqual([
      {
        file: 'flow.json',
        path: 'faq[0].answer',
        line: 3,
        column: expect.any(Number),
        message: 'must not be empty',
      },
    ]);
    expect((await get(shop.key, '/bot-flows/broken')).status).toBe(404);
  });

  it('takes only flow files: another type is 415, more than 256 KiB is 413', async () => {
    const plain = await upload(shop.key, faqFlow('shop', 'x'), 'text/plain');
    expect(plain.status).toBe(415);
    expect(plain.body.code).toBe('request.unsupported_media_type');
    const huge = await upload(shop.key, `flow: big\ndescription: ${'x'.repeat(300 * 1024)}\n`);
    expect(huge.status).toBe(413);
  });

  it('disables, enables and deletes a flow', async () => {
    const disabled = await post(shop.key, '/bot-flows/shop/disable');
    expect(disabled.body).toMatchObject({ name: 'shop', enabled: false });
    expect(await layer.registry.flowFor(shop.workspaceId, telegram, noHints)).toBeNull();
    expect((await post(shop.key, '/bot-flows/shop/enable')).body).toMatchObject({ enabled: true });
    expect((await layer.registry.flowFor(shop.workspaceId, telegram, noHints))?.flow.name).toBe('shop');

    expect((await request(app).delete('/v1/bot-flows/shop').set(auth(shop.key))).status).toBe(204);
    expect(await layer.registry.flowFor(shop.workspaceId, telegram, noHints)).toBeNull();
    expect((await get(shop.key, '/bot-flows/shop')).body.code).toBe('bot_flow.not_found');
    const list = await get(shop.key, '/bot-flows');
    expect(list.body.items.map((flow: { name: string }) => flow.name)).toEqual(['json-flow']);
    expect((await upload(shop.key, faqFlow('shop', 'again'))).body).toMatchObject({ version: 1 });
  });

  it('documents the upload with the flow file types in the OpenAPI document', async () => {
    const doc = await request(app).get('/v1/openapi.json');
    const operation = doc.body.paths['/v1/bot-flows'].post;
    expect(Object.keys(operation.requestBody.content)).toContain('application/yaml');
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '201', '422']));
  });
});

describe('which flow serves a turn', () => {
  let bank: Tenant;
  beforeAll(async () => {
    bank = await tenant('Precedence bank');
    const flows = [
      faqFlow('default', 'd'),
      faqFlow('by-type', 't', 'channels: [telegram]'),
      faqFlow('by-id', 'i', `channels: ["${telegram.id}"]`),
      faqFlow('followup', 'f', 'notifications: [operation-check]'),
    ];
    for (const flow of flows) expect((await upload(bank.key, flow)).status).toBe(201);
  });

  const pick = async (channel: FlowChannel, hints = noHints) =>
    (await layer.registry.flowFor(bank.workspaceId, channel, hints))?.flow.name ?? null;
  const otherTelegram = { id: new Types.ObjectId().toHexString(), type: 'telegram' };
  const vk = { id: new Types.ObjectId().toHexString(), type: 'vk' };

  it('takes the notification template first, then the current flow, then channel id, type, default', async () => {
    const current = { current: 'default', replyToTemplate: null };
    expect(await pick(telegram, { current: 'default', replyToTemplate: 'operation-check' })).toBe('followup');
    expect(await pick(telegram, current)).toBe('default');
    expect(await pick(telegram)).toBe('by-id');
    expect(await pick(otherTelegram)).toBe('by-type');
    expect(await pick(vk)).toBe('default');
  });

  it('forgets a current flow that is gone, and never starts a notification flow by default', async () => {
    expect(await pick(vk, { current: 'deleted-long-ago', replyToTemplate: null })).toBe('default');
    expect(await pick(vk, { current: null, replyToTemplate: 'unknown-template' })).toBe('default');
    expect(await layer.registry.hasFlowFor(bank.workspaceId, vk)).toBe(true);

    const lonely = await tenant('Only a follow-up');
    expect(
      (await upload(lonely.key, faqFlow('followup', 'f', 'notifications: [operation-check]'))).status,
    ).toBe(201);
    expect(await layer.registry.hasFlowFor(lonely.workspaceId, vk)).toBe(false);
    expect(await layer.registry.flowFor(lonely.workspaceId, vk, noHints)).toBeNull();
    const reply = { current: null, replyToTemplate: 'operation-check' };
    expect((await layer.registry.flowFor(lonely.workspaceId, vk, reply))?.flow.name).toBe('followup');
  });

  it('lets another process see an upload at once through Redis, not only after the refresh interval', async () => {
    const other = createFlowRegistry({
      models: stack.models,
      config: { BOT_FLOWS_REFRESH_MS: 600_000 },
      logger: stack.logger,
      bus: createFlowChangeBus(stack.redis, stack.config.QUEUE_PREFIX),
    });
    await other.start();
    try {
      expect((await other.flowFor(bank.workspaceId, vk, noHints))?.version).toBe(1);
      expect((await upload(bank.key, faqFlow('default', 'd2'))).body).toMatchObject({ version: 2 });
      await eventually(
        async () => ((await other.flowFor(bank.workspaceId, vk, noHints))?.version === 2 ? true : undefined),
        'the other registry to see version 2',
      );
    } finally {
      await other.close();
    }
  });
});

describe('access', () => {
  let owner: Tenant;
  let stranger: Tenant;
  beforeAll(async () => {
    owner = await tenant('Owner');
    stranger = await tenant('Stranger');
    expect((await upload(owner.key, faqFlow('private', 'p'))).status).toBe(201);
  });

  it('shows another workspace’s flow to no one else: every route answers 404', async () => {
    const cases: Array<[string, () => request.Test]> = [
      ['get', () => get(stranger.key, '/bot-flows/private')],
      ['versions', () => get(stranger.key, '/bot-flows/private/versions')],
      ['source', () => get(stranger.key, '/bot-flows/private/versions/1/source')],
      ['report', () => get(stranger.key, '/bot-flows/private/report')],
      ['rollback', () => post(stranger.key, '/bot-flows/private/rollback', { version: 1 })],
      ['disable', () => post(stranger.key, '/bot-flows/private/disable')],
      ['enable', () => post(stranger.key, '/bot-flows/private/enable')],
      ['delete', () => request(app).delete('/v1/bot-flows/private').set(auth(stranger.key))],
    ];
    for (const [what, send] of cases) {
      const res = await send();
      expect({ what, status: res.status, code: res.body.code }).toEqual({
        what,
        status: 404,
        code: 'bot_flow.not_found',
      });
    }
    expect((await get(stranger.key, '/bot-flows')).body.items).toEqual([]);
    expect((await get(owner.key, '/bot-flows/private')).body).toMatchObject({
      enabled: true,
      activeVersion: 1,
    });
    expect(await layer.registry.flowFor(stranger.workspaceId, telegram, noHints)).toBeNull();
  });

  it('needs bot-flows:read to read and bot-flows:write to change', async () => {
    const inboxOnly = await createApiKey(stack.models, owner.workspaceId, {
      name: 'inbox',
      scopes: ['inbox:read'],
    });
    const reader = await createApiKey(stack.models, owner.workspaceId, {
      name: 'r',
      scopes: ['bot-flows:read'],
    });
    for (const res of [
      await get(inboxOnly.key, '/bot-flows'),
      await upload(inboxOnly.key, faqFlow('x', 'x')),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('auth.scope_missing');
    }
    expect((await get(reader.key, '/bot-flows/private/report')).status).toBe(200);
    expect((await upload(reader.key, faqFlow('private', 'r'))).status).toBe(403);
    expect((await post(reader.key, '/bot-flows/private/disable')).status).toBe(403);
  });
});

describe('the report', () => {
  let shop: Tenant;
  const day = 24 * 60 * 60_000;
  const conversations = [new Types.ObjectId(), new Types.ObjectId()].map(String);

  beforeAll(async () => {
    shop = await tenant('Report shop');
    expect((await upload(shop.key, faqFlow('shop', 'r'))).status).toBe(201);
    const turn = (outcome: 'answered' | 'missed' | 'handoff' | 'error', extra: object, minutesAgo: number) =>
      recordBotTurn(stack, {
        workspaceId: shop.workspaceId,
        flowName: 'shop',
        flowVersion: 1,
        conversationId: conversations[0] ?? '',
        channelId: telegram.id,
        outcome,
        entryId: null,
        confidence: 0,
        normalized: '',
        text: '',
        at: new Date(Date.now() - minutesAgo * 60_000),
        ...extra,
      });
    await turn(
      'answered',
      { entryId: 'delivery', confidence: 0.9, normalized: 'доставка', text: 'Доставка?' },
      50,
    );
    await turn(
      'answered',
      { entryId: 'delivery', confidence: 0.8, normalized: 'доставка', text: 'доставка' },
      40,
    );
    await turn('missed', { normalized: 'где мой кот', text: 'где мой кот' }, 30);
    await turn('missed', { normalized: 'где мой кот', text: 'Где мой кот!' }, 20);
    await turn(
      'missed',
      { normalized: 'где мой кот', text: 'Где мой КОТ?', conversationId: conversations[1] },
      10,
    );
    await turn('missed', { normalized: 'hello there', text: 'Hello there' }, 15);
    await turn('handoff', { normalized: '', text: 'оператор' }, 5);
    await turn('handoff', { normalized: 'ничего не понятно', text: 'Ничего не понятно' }, 4);
    await turn('error', { normalized: 'упал', text: 'упал' }, 3);
    await turn(
      'answered',
      { entryId: 'returns', normalized: 'вернуть', text: 'вернуть' },
      (40 * day) / 60_000,
    );
    await turn('missed', { flowName: 'other', normalized: 'где мой кот', text: 'где мой кот' }, 10);
  });

  it('groups what the bot did not understand, most asked first, over the last 30 days', async () => {
    const res = await get(shop.key, '/bot-flows/shop/report');
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ turns: 9, answered: 2, missed: 4, handoffs: 2, errors: 1 });
    expect(res.body.unanswered).toEqual([
      {
        normalized: 'где мой кот',
        example: 'Где мой КОТ?',
        count: 3,
        lastAt: expect.any(String),
        conversationId: conversations[1],
      },
      expect.objectContaining({ normalized: 'ничего не понятно', count: 1 }),
      expect.objectContaining({ normalized: 'hello there', example: 'Hello there', count: 1 }),
    ]);
    expect(res.body.neverMatched).toEqual([{ entryId: 'returns', title: 'Как вернуть товар?' }]);
  });

  it('takes an explicit window, and refuses one that ends before it starts', async () => {
    const from = new Date(Date.now() - 60 * day).toISOString();
    const wide = await get(shop.key, `/bot-flows/shop/report?from=${encodeURIComponent(from)}`);
    expect(wide.body.totals.turns).toBe(10);
    expect(wide.body.neverMatched).toEqual([]);
    const to = new Date(Date.now() - 70 * day).toISOString();
    const backwards = await get(
      shop.key,
      `/bot-flows/shop/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].path).toBe('query.from');
  });

  it('purges turns older than 90 days', async () => {
    const inEightyDays = new Date(Date.now() + 80 * day);
    expect(await purgeOldBotTurns(stack.models, inEightyDays)).toBe(1);
    const from = new Date(Date.now() - 60 * day).toISOString();
    expect(
      (await get(shop.key, `/bot-flows/shop/report?from=${encodeURIComponent(from)}`)).body.totals.turns,
    ).toBe(9);
  });

  it('keeps at most 300 characters of the normalized text and 500 of the text', async () => {
    await recordBotTurn(stack, {
      workspaceId: shop.workspaceId,
      flowName: 'long',
      flowVersion: 1,
      conversationId: conversations[0] ?? '',
      channelId: telegram.id,
      outcome: 'missed',
      entryId: null,
      confidence: 0,
      normalized: 'я'.repeat(400),
      text: '😀'.repeat(600),
      at: new Date(),
    });
    const stored = await stack.models.BotTurn.findOne({
      workspaceId: shop.workspaceId,
      flowName: 'long',
    }).lean();
    expect(stored?.normalized).toHaveLength(300);
    expect([...(stored?.text ?? '')]).toHaveLength(500);
  });
});

describe('folder flows in the API', () => {
  let local: Tenant;
  beforeAll(async () => {
    local = await tenant('Local');
    expect((await upload(local.key, faqFlow('uploaded', 'u'))).status).toBe(201);
    await mkdir(path.join(flowsDir, local.workspaceId));
    await writeFile(path.join(flowsDir, local.workspaceId, 'faq.yaml'), faqFlow('from-file', 'f'));
  });

  it('lists them beside uploaded flows, marked as the folder’s', async () => {
    const items = await eventually(async () => {
      const res = await get(local.key, '/bot-flows');
      return res.body.items.length === 2 ? res.body.items : undefined;
    }, 'the folder flow to be listed');
    expect(items).toEqual([
      expect.objectContaining({
        name: 'from-file',
        origin: 'folder',
        activeVersion: 0,
        enabled: true,
        entryCount: 2,
      }),
      expect.objectContaining({ name: 'uploaded', origin: 'api', activeVersion: 1 }),
    ]);
    expect((await get(local.key, '/bot-flows/from-file')).body).toMatchObject({ origin: 'folder' });
    const report = await get(local.key, '/bot-flows/from-file/report');
    expect(report.body.neverMatched.map((entry: { entryId: string }) => entry.entryId)).toEqual([
      'delivery',
      'returns',
    ]);
  });

  it('leaves them to their files: no versions, no rollback, no delete through the API', async () => {
    expect((await get(local.key, '/bot-flows/from-file/versions')).body.code).toBe('bot_flow.not_found');
    expect((await post(local.key, '/bot-flows/from-file/rollback', { version: 1 })).status).toBe(404);
    expect((await request(app).delete('/v1/bot-flows/from-file').set(auth(local.key))).status).toBe(404);
  });
});
