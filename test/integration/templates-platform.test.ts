import request from 'supertest';
import type { ChannelKind } from '../../adapters/contract';
import { createApiKey } from '../../src/auth/api-keys';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { PlatformModeration } from '../../src/templates/platform-moderation';
import { startTemplateModeration } from '../../src/templates/template-moderation-worker';
import { templateSendableOn } from '../../src/templates/template-sendability';
import type { StoredTemplate } from '../../src/templates/template-service';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually, startTestSandbox, type TestSandbox } from '../contract/helpers/sandbox-control';
import { recordEvents } from '../helpers/event-recorder';
import { listenPublic, type PublicServer } from '../helpers/public-server';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/**
 * Platform moderation against the sandbox over real HTTP: an approval by our moderator submits the
 * template to the notification gateway and WhatsApp, the poller records their decisions, and each
 * decision publishes `template.moderated`.
 */
let stack: TestStack;
let sandbox: TestSandbox;
let server: PublicServer;
let apiKey: string;
let moderatorKey: string;
let workspaceId: string;
let moderation: PlatformModeration;
const recorder = recordEvents();
const channels: Record<string, { id: string; type: ChannelKind }> = {};

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function addChannel(key: string, type: ChannelKind, config: Record<string, unknown>) {
  const res = await request(stack.app)
    .post('/v1/channels')
    .set(bearer(apiKey))
    .send({ type, name: key, config })
    .expect(201);
  channels[key] = { id: res.body.id, type };
}

async function addNotifyChannel(key: string) {
  const account = await sandbox.control.createAccount<Record<string, string>>('notify', { name: key });
  const { apiKey: gatewayKey, callbackSecret, apiBaseUrl } = account;
  await addChannel(key, 'vk-notify', { apiKey: gatewayKey, callbackSecret, apiBaseUrl });
}

async function approved(name: string, body: string, allowed: ChannelKind[]): Promise<string> {
  const created = await request(stack.app)
    .post('/v1/templates')
    .set(bearer(apiKey))
    .send({ name, body, category: 'delivery', channels: allowed, submit: true })
    .expect(201);
  await request(stack.app)
    .post(`/v1/templates/${created.body.id}/approve`)
    .set(bearer(moderatorKey))
    .expect(200);
  return created.body.id;
}

const stored = async (id: string) =>
  (await stack.models.Template.findById(id).lean().exec()) as StoredTemplate;
const entryOf = (template: StoredTemplate, key: string) =>
  template.platformApprovals.find((entry) => entry.channelId === channels[key]?.id);

/** Polls (as the repeatable job does) until every platform entry of the version is decided. */
async function pollUntilDecided(id: string, count: number): Promise<StoredTemplate> {
  return eventually(async () => {
    await moderation.pollOnce();
    const doc = await stored(id);
    const decided = doc.platformApprovals.filter((entry) => entry.status !== 'pending');
    return decided.length === count ? doc : undefined;
  }, `platform decisions on ${id}`);
}

const sendable = (doc: StoredTemplate, key: string) => {
  const channel = channels[key];
  if (!channel) throw new Error(`no channel ${key}`);
  return templateSendableOn(doc, { ...channel, platformTemplates: channel.type !== 'sms' });
};

beforeAll(async () => {
  server = await listenPublic();
  const publicUrl = server.url;
  stack = await createTestStack('templates-platform', { PUBLIC_URL: publicUrl });
  server.server.on('request', stack.app);
  sandbox = await startTestSandbox('templates-platform');
  const shop = await createWorkspace(stack.models, { name: 'Shop' });
  apiKey = shop.apiKey;
  workspaceId = shop.workspaceId;
  moderatorKey = (
    await createApiKey(stack.models, trustedWorkspaceId(workspaceId), {
      name: 'cli-mod',
      scopes: ['templates:moderate'],
    })
  ).key;
  await addNotifyChannel('notify');
  const wa = await sandbox.control.createAccount<Record<string, string>>('whatsapp', {
    templateReviewMs: 50,
  });
  const { phoneNumberId, wabaId, accessToken, appSecret, apiBaseUrl, apiVersion } = wa;
  await addChannel('whatsapp', 'whatsapp', {
    phoneNumberId,
    wabaId,
    accessToken,
    appSecret,
    apiBaseUrl,
    apiVersion,
  });
  moderation = new PlatformModeration({
    models: stack.models,
    runtime: stack.channels.runtime,
    logger: stack.logger,
    events: recorder,
  });
});
afterAll(async () => {
  await moderation.idle();
  await server.close();
  await sandbox.close();
  await stack.close();
});

describe('platform template moderation', () => {
  it('submits an approved template to each allowed platform channel and records their approvals', async () => {
    const body = 'Заказ ###order# передан в доставку. Трек-номер: #track#, статус — в приложении.';
    const id = await approved('order_shipped', body, ['vk-notify', 'whatsapp', 'sms']);
    const submitted = await eventually(async () => {
      const doc = await stored(id);
      return doc.platformApprovals.filter((entry) => entry.submittedAt).length === 2 ? doc : undefined;
    }, 'both submissions');
    expect(entryOf(submitted, 'notify')).toMatchObject({ status: 'pending', platformName: 'order_shipped' });
    expect(sendable(submitted, 'notify')).toEqual({ ok: false, reason: 'platform-pending' });
    const gateway = (await sandbox.control.requests('notify')).find((r) =>
      r.path.endsWith('/message_template'),
    );
    expect(gateway?.body).toEqual({
      name: 'order_shipped',
      text: 'Заказ ##order# передан в доставку. Трек-номер: #track#, статус — в приложении.',
    });
    const meta = (await sandbox.control.requests('whatsapp')).find((r) =>
      r.path.endsWith('/message_templates'),
    );
    expect(meta?.body).toMatchObject({
      name: 'order_shipped',
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [
        {
          type: 'BODY',
          text: 'Заказ #{{order}} передан в доставку. Трек-номер: {{track}}, статус — в приложении.',
        },
      ],
    });

    const decided = await pollUntilDecided(id, 2);
    for (const key of ['notify', 'whatsapp']) {
      expect(entryOf(decided, key)).toMatchObject({
        status: 'approved',
        reason: null,
        decidedAt: expect.any(Date),
      });
      expect(sendable(decided, key)).toEqual({ ok: true, platformName: 'order_shipped' });
    }
    const events = recorder.events.filter((event) => event.data.templateId === id);
    expect(events.map((event) => event.data.channel)).toEqual(
      expect.arrayContaining([channels.notify, channels.whatsapp]),
    );
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event).toMatchObject({ workspaceId, type: 'template.moderated' });
      expect(event.data).toMatchObject({
        name: 'order_shipped',
        version: 1,
        status: 'approved',
        reason: null,
      });
      expect(event.eventId).toMatch(new RegExp(`^tpl_${id}_\\d+$`));
    }
    expect(new Set(events.map((event) => event.eventId)).size).toBe(2);
    const view = await request(stack.app).get(`/v1/templates/${id}`).set(bearer(apiKey)).expect(200);
    expect(view.body.platformApprovals).toHaveLength(2);
    expect(view.body.platformApprovals[0]).toMatchObject({ status: 'approved', lastError: null });
  });

  it('records a platform rejection with its reason; the channel is then not sendable', async () => {
    const id = await approved('promo_link', '#name#, заказ ждёт вас: https://bit.ly/x', [
      'vk-notify',
      'whatsapp',
    ]);
    const decided = await pollUntilDecided(id, 2);
    expect(entryOf(decided, 'notify')).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('link shorteners are not allowed'),
    });
    expect(entryOf(decided, 'whatsapp')).toMatchObject({ status: 'rejected', reason: 'INVALID_FORMAT' });
    expect(sendable(decided, 'notify')).toEqual({ ok: false, reason: 'platform-rejected' });
    const events = recorder.events.filter((event) => event.data.templateId === id);
    expect(events.map((event) => event.data.status)).toEqual(['rejected', 'rejected']);
  });

  it('retries a failed submission on the next poll', async () => {
    await sandbox.control.addFault({ platform: 'notify', kind: 'server-error', status: 503 });
    const id = await approved('retry_me', 'Ваш код доставки #code#, курьер уже едет.', ['vk-notify']);
    const failed = await eventually(async () => {
      const entry = entryOf(await stored(id), 'notify');
      return entry?.lastError ? entry : undefined;
    }, 'a recorded submission failure');
    expect(failed).toMatchObject({
      status: 'pending',
      submittedAt: null,
      lastError: expect.stringContaining('submission failed'),
    });
    await moderation.pollOnce();
    expect(entryOf(await stored(id), 'notify')?.submittedAt).toBeNull();
    await sandbox.control.clearFaults();
    const decided = await pollUntilDecided(id, 1);
    expect(entryOf(decided, 'notify')).toMatchObject({ status: 'approved', lastError: null });
  });

  it('gives a later version its own platform name and leaves channels the template does not allow alone', async () => {
    const v1 = await approved('versioned', 'Заказ #order# собран, ждём курьера.', ['vk-notify']);
    await pollUntilDecided(v1, 1);
    const v2 = await request(stack.app)
      .patch(`/v1/templates/${v1}`)
      .set(bearer(apiKey))
      .send({ body: 'Заказ #order# собран и упакован, ждём курьера.', submit: true })
      .expect(200);
    await request(stack.app)
      .post(`/v1/templates/${v2.body.id}/approve`)
      .set(bearer(moderatorKey))
      .expect(200);
    const decided = await pollUntilDecided(v2.body.id, 1);
    expect(decided.platformApprovals).toEqual([
      expect.objectContaining({
        channelId: channels.notify?.id,
        platformName: 'versioned_v2',
        status: 'approved',
      }),
    ]);
  });

  it('the repeatable job submits approved templates to a channel created after the approval', async () => {
    await addNotifyChannel('late');
    await startTemplateModeration({ queues: stack.queues, moderation, logger: stack.logger, everyMs: 100 });
    const doc = await eventually(async () => {
      const template = await stack.models.Template.findOne({ name: 'order_shipped' }).lean().exec();
      const entry = template && entryOf(template as StoredTemplate, 'late');
      return entry?.status === 'approved' ? (template as StoredTemplate) : undefined;
    }, 'approval on the late channel');
    expect(sendable(doc, 'late')).toEqual({ ok: true, platformName: 'order_shipped' });
    const lateEvents = recorder.events.filter((event) =>
      event.data.channel === undefined
        ? false
        : (event.data.channel as { id: string }).id === channels.late?.id,
    );
    expect(lateEvents.map((event) => [event.data.name, event.data.status])).toEqual(
      expect.arrayContaining([['order_shipped', 'approved']]),
    );
  });
});
