import { createConversationLock } from '../../inbox/conversations/conversation-lock';
import type { StoredConversation } from '../../inbox/conversations/conversation-view';
import type { InboxCore } from '../../inbox/inbox-core';
import { createReplySender } from '../../inbox/replies/reply-sender';
import { eventually } from '../contract/helpers/sandbox-control';
import { api, type OperatorSession, operatorSession, seedConversation } from '../helpers/inbox-api-fixture';
import {
  approvedTemplate,
  type NotificationFixture,
  personWithContact,
  startNotificationFixture,
} from '../helpers/notification-fixture';

let fx: NotificationFixture;
let anna: OperatorSession;
let phoneSeq = 0;

beforeAll(async () => {
  fx = await startNotificationFixture('inbox-replies');
  anna = await operatorSession(fx, fx.workspaceId, 'Anna');
}, 120_000);
afterAll(async () => {
  await fx?.close();
});

function nextPhone(): string {
  phoneSeq += 1;
  return `+7916555${String(1000 + phoneSeq)}`;
}

/** A sandbox person who wrote to the business on `platform`, and the conversation ingest made of it. */
async function customerWrote(platform: 'telegram' | 'viber', text: string) {
  const { user } = await personWithContact(fx, nextPhone(), { name: 'Мария' });
  const account = user.accounts[platform];
  if (!account) throw new Error(`no ${platform} account`);
  await fx.sandbox.control.userMessage(user.id, { platform, text });
  const conversation = await eventually(
    async () =>
      ((await fx.stack.models.Conversation.findOne({
        workspaceId: fx.workspaceId,
        channelId: fx.channels[platform],
        externalChatId: account.id,
      })
        .lean()
        .exec()) as StoredConversation | null) ?? undefined,
    `the ${platform} conversation`,
    20_000,
  );
  return { user, conversation, id: String(conversation._id) };
}

async function messageStatus(id: string, wanted: readonly string[], timeoutMs = 20_000) {
  return eventually(
    async () => {
      const doc = await fx.stack.models.InboxMessage.findById(id).lean().exec();
      return doc && wanted.includes(doc.status) ? doc : undefined;
    },
    `message ${id} to become ${wanted.join(' or ')}`,
    timeoutMs,
  );
}

async function received(userId: string, platform: string, text: string) {
  return eventually(
    async () => (await fx.sandbox.control.received(userId, platform)).find((m) => m.text === text),
    `the ${platform} user to receive "${text}"`,
    20_000,
  );
}

describe('replies through the channel', () => {
  it('reaches the Telegram user, takes the conversation and counts acceptance as delivery', async () => {
    const { user, id } = await customerWrote('telegram', 'Где мой заказ?');
    const since = await fx.stack.inbox.events.currentSeq(fx.workspaceId);
    const res = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { text: 'Уже в пути!' })
      .expect(202);
    expect(res.body).toMatchObject({
      direction: 'outbound',
      kind: 'text',
      status: 'queued',
      text: 'Уже в пути!',
      author: { type: 'operator', operatorId: anna.id, name: 'Anna' },
    });
    const conversation = await api(fx, anna.token).get(`/conversations/${id}`).expect(200);
    expect(conversation.body).toMatchObject({
      state: 'human',
      assigneeId: anna.id,
      lastMessage: { text: 'Уже в пути!' },
    });
    const got = await received(user.id, 'telegram', 'Уже в пути!');
    const stored = await messageStatus(res.body.id, ['delivered']);
    expect(stored.externalMessageId).toBe(got.messageId);
    expect(stored.statusTimes?.sent).toBeInstanceOf(Date);
    // The tick's event is stored right after the status it announces: wait for the last one.
    const ticks = await eventually(async () => {
      const events = await fx.stack.inbox.events.since(fx.workspaceId, since, 200);
      const statuses = events
        .filter((e) => e.type === 'message.updated' && (e.data as { id: string }).id === res.body.id)
        .map((e) => (e.data as { status: string }).status);
      return statuses.includes('delivered') ? statuses : undefined;
    }, 'the delivered tick');
    expect(ticks).toEqual(['sending', 'delivered']);
  });

  it('follows the platform’s delivery report where the channel has one (Viber)', async () => {
    const { user, id } = await customerWrote('viber', 'Здравствуйте');
    const res = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { text: 'Добрый день!' })
      .expect(202);
    await received(user.id, 'viber', 'Добрый день!');
    const stored = await messageStatus(res.body.id, ['delivered', 'read']);
    expect(stored.statusTimes?.delivered).toBeInstanceOf(Date);
  });

  it('sends in a resolved conversation, which stays resolved', async () => {
    const { user } = await personWithContact(fx, nextPhone());
    const chatId = user.accounts.telegram?.id ?? '';
    const conv = await seedConversation(fx, {
      channelType: 'telegram',
      externalChatId: chatId,
      state: 'closed',
    });
    const res = await api(fx, fx.apiKey)
      .post(`/conversations/${String(conv._id)}/messages`, { text: 'P.S. чек во вложении' })
      .expect(202);
    expect(res.body.author).toMatchObject({ operatorId: null, name: 'API' });
    await received(user.id, 'telegram', 'P.S. чек во вложении');
    await messageStatus(res.body.id, ['delivered']);
    const after = await api(fx, fx.apiKey)
      .get(`/conversations/${String(conv._id)}`)
      .expect(200);
    expect(after.body).toMatchObject({ state: 'closed', assigneeId: null });
  });

  it('marks a reply the platform refuses for good as failed, with the reason', async () => {
    const { user } = await personWithContact(fx, nextPhone());
    const conv = await seedConversation(fx, {
      channelType: 'telegram',
      externalChatId: user.accounts.telegram?.id ?? '',
    });
    await fx.sandbox.control.block(user.id, 'telegram');
    const res = await api(fx, anna.token)
      .post(`/conversations/${String(conv._id)}/messages`, { text: 'Вы тут?' })
      .expect(202);
    const failed = await messageStatus(res.body.id, ['failed']);
    expect(failed.failureReason).toMatch(/^blocked: /);
    expect(failed.statusTimes?.failed).toBeInstanceOf(Date);
  });

  it('sends again a reply whose job vanished (Redis flushed)', async () => {
    const { user } = await personWithContact(fx, nextPhone());
    const conv = await seedConversation(fx, {
      channelType: 'telegram',
      externalChatId: user.accounts.telegram?.id ?? '',
    });
    const lost = await fx.stack.models.InboxMessage.create({
      workspaceId: fx.workspaceId,
      conversationId: conv._id,
      contactId: conv.contactId,
      channelId: conv.channelId,
      direction: 'outbound',
      kind: 'text',
      author: { type: 'operator', name: 'Anna' },
      text: 'Потерянный ответ',
      dedupeKey: `out:lost-${String(conv._id)}`,
      status: 'queued',
    });
    const core: InboxCore = {
      models: fx.stack.models,
      redis: fx.stack.redis,
      queues: fx.stack.queues,
      channels: fx.stack.channels,
      config: fx.stack.config,
      events: fx.stack.inbox.events,
      lock: createConversationLock(fx.stack.redis, fx.stack.config.QUEUE_PREFIX),
      logger: fx.stack.logger,
    };
    expect(await createReplySender(core, { sweepAfterMs: 0 }).sweep()).toBeGreaterThanOrEqual(1);
    await received(user.id, 'telegram', 'Потерянный ответ');
    await messageStatus(String(lost._id), ['delivered']);
  });
});

describe('limits checked before anything is stored', () => {
  it('refuses text over the channel’s length or byte limit, naming it (VK notifications: 2048)', async () => {
    const conv = await seedConversation(fx, { channelType: 'vk-notify', externalChatId: nextPhone() });
    const id = String(conv._id);
    const tooLong = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { text: 'a'.repeat(2049) })
      .expect(422);
    expect(tooLong.headers['content-type']).toContain('application/problem+json');
    expect(tooLong.body.code).toBe('inbox.reply_content_invalid');
    expect(tooLong.body.detail).toContain('text.maxLength = 2048');
    expect(tooLong.body.errors[0].path).toBe('body.text');
    const tooBig = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { text: 'я'.repeat(1100) })
      .expect(422);
    expect(tooBig.body.detail).toContain('text.maxBytes = 2048');
    expect(await fx.stack.models.InboxMessage.countDocuments({ conversationId: conv._id })).toBe(0);
    const composer = await api(fx, anna.token).get(`/conversations/${id}/composer`).expect(200);
    expect(composer.body).toMatchObject({
      channelType: 'vk-notify',
      maxTextLength: 2048,
      maxTextBytes: 2048,
      freeTextAllowed: true,
    });
  });

  it('answers malformed replies with 400', async () => {
    const conv = await seedConversation(fx, { channelType: 'telegram' });
    const path = `/conversations/${String(conv._id)}/messages`;
    await api(fx, anna.token).post(path, {}).expect(400);
    await api(fx, anna.token).post(path, { text: 'x', templateId: 'y' }).expect(400);
    await api(fx, anna.token).post(path, { text: 42 }).expect(400);
    await api(fx, anna.token).post(path, { text: 'x', extra: true }).expect(400);
  });
});

describe('the WhatsApp 24-hour window', () => {
  let templateId: string;

  beforeAll(async () => {
    templateId = await approvedTemplate(fx, {
      name: 'delivery_followup',
      body: 'Заказ #order# доставлен. Всё в порядке?',
      // The fixture waits for every moderating platform's approval (the gateway's too).
      channels: ['whatsapp', 'vk-notify', 'ok-notify'],
    });
  }, 60_000);

  it('offers only approved templates once the customer has been silent for 24 h', async () => {
    const { user } = await personWithContact(fx, nextPhone());
    const conv = await seedConversation(fx, {
      channelType: 'whatsapp',
      externalChatId: user.accounts.whatsapp?.id ?? '',
      lastInboundAt: new Date(Date.now() - 25 * 3600_000),
    });
    const id = String(conv._id);
    const composer = await api(fx, anna.token).get(`/conversations/${id}/composer`).expect(200);
    expect(composer.body).toMatchObject({
      channelType: 'whatsapp',
      freeTextAllowed: false,
      windowClosesAt: null,
    });
    expect(composer.body.reason).toContain('24 hours');
    expect(composer.body.templates).toEqual([
      {
        id: templateId,
        name: 'delivery_followup',
        text: 'Заказ #order# доставлен. Всё в порядке?',
        placeholders: ['order'],
      },
    ]);
    const free = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { text: 'Привет!' })
      .expect(422);
    expect(free.body.code).toBe('inbox.reply_window_closed');
    const missing = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { templateId })
      .expect(422);
    expect(missing.body.code).toBe('inbox.reply_content_invalid');
    const unknown = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { templateId: conv._id.toHexString(), params: {} })
      .expect(422);
    expect(unknown.body.code).toBe('inbox.reply_template_unavailable');
    expect(await fx.stack.models.InboxMessage.countDocuments({ conversationId: conv._id })).toBe(0);
    const res = await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { templateId, params: { order: 'A-17' } })
      .expect(202);
    expect(res.body.text).toBe('Заказ A-17 доставлен. Всё в порядке?');
    const got = await eventually(
      async () =>
        (await fx.sandbox.control.received(user.id, 'whatsapp')).find(
          (m) => m.template?.name === 'delivery_followup',
        ),
      'the WhatsApp template to arrive',
      20_000,
    );
    expect(got.template?.params).toMatchObject({ order: 'A-17' });
    await messageStatus(res.body.id, ['sent', 'delivered', 'read']);
  });

  it('takes free text within the window and says when it closes', async () => {
    const { user } = await personWithContact(fx, nextPhone());
    const lastInboundAt = new Date(Date.now() - 3600_000);
    const conv = await seedConversation(fx, {
      channelType: 'whatsapp',
      externalChatId: user.accounts.whatsapp?.id ?? '',
      lastInboundAt,
    });
    const id = String(conv._id);
    const composer = await api(fx, anna.token).get(`/conversations/${id}/composer`).expect(200);
    expect(composer.body).toMatchObject({ freeTextAllowed: true, reason: null });
    expect(composer.body.windowClosesAt).toBe(
      new Date(lastInboundAt.getTime() + 24 * 3600_000).toISOString(),
    );
    await api(fx, anna.token).post(`/conversations/${id}/messages`, { text: 'Чем помочь?' }).expect(202);
    await received(user.id, 'whatsapp', 'Чем помочь?');
  });
});

describe('logs', () => {
  it('never carry a customer’s phone number or an operator’s session token', () => {
    const lines = fx.stack.logLines.join('\n');
    expect(lines).not.toMatch(/\+7916555\d{4}/);
    expect(lines).not.toContain(anna.token);
  });
});
