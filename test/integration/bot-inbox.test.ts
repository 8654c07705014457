import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { StoredConversation } from '../../inbox/conversations/conversation-view';
import type { StoredMessage } from '../../inbox/messages/message-view';
import type { ReceivedMessage } from '../../src/sandbox/virtual-users';
import { eventually } from '../contract/helpers/sandbox-control';
import { api, type OperatorSession, operatorSession } from '../helpers/inbox-api-fixture';
import {
  bearer,
  type NotificationFixture,
  personWithContact,
  sendNotification,
  startNotificationFixture,
} from '../helpers/notification-fixture';

/**
 * Bot flows inside the inbox, end to end through the real sandbox platforms: the shipped shop FAQ
 * (uploaded through the API) answers customers with each channel's buttons, hands off to the
 * queue, and stays silent while an operator owns a conversation; a flow that throws hands off;
 * the bank follow-up answers a notification's buttons.
 */
const root = path.resolve(__dirname, '../..');
const examples = path.join(root, 'bot-flows', 'examples');
let fx: NotificationFixture;
let anna: OperatorSession;
let flowsDir = '';
let phoneSeq = 0;

type Platform = 'telegram' | 'vk' | 'viber' | 'whatsapp' | 'sms';

async function upload(file: string): Promise<void> {
  const res = await request(fx.stack.app)
    .post('/v1/bot-flows')
    .set(bearer(fx.apiKey))
    .set('content-type', 'application/yaml')
    .send(await readFile(path.join(examples, file), 'utf8'));
  if (res.status !== 201) throw new Error(`upload ${file}: ${res.status} ${JSON.stringify(res.body)}`);
}

beforeAll(async () => {
  flowsDir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-bot-flows-'));
  fx = await startNotificationFixture('bot-inbox', { BOT_FLOWS_DIR: flowsDir, BOT_FLOWS_REFRESH_MS: '200' });
  anna = await operatorSession(fx, fx.workspaceId, 'Anna');
  await upload('shop-faq.yaml');
  await upload('bank-followup.yaml');
}, 120_000);
afterAll(async () => {
  await fx?.close();
  await rm(flowsDir, { recursive: true, force: true });
});

async function customer() {
  phoneSeq += 1;
  return (await personWithContact(fx, `+7916777${String(1000 + phoneSeq)}`, { name: 'Ольга' })).user;
}

function chatIdOf(user: Awaited<ReturnType<typeof customer>>, platform: Platform): string {
  if (platform === 'sms') return user.phone;
  const account = user.accounts[platform];
  if (!account) throw new Error(`no ${platform} account`);
  return account.id;
}

async function conversationOf(platform: Platform, chatId: string): Promise<StoredConversation> {
  return eventually(
    async () =>
      ((await fx.stack.models.Conversation.findOne({
        workspaceId: fx.workspaceId,
        channelId: fx.channels[platform],
        externalChatId: chatId,
      })
        .lean()
        .exec()) as StoredConversation | null) ?? undefined,
    `the ${platform} conversation`,
  );
}

/** What the user has received on `platform`, once there are at least `count` messages. */
async function receivedAtLeast(
  userId: string,
  platform: Platform,
  count: number,
): Promise<ReceivedMessage[]> {
  return eventually(
    async () => {
      const got = fx.sandbox.sandbox.context.users
        .get(userId)
        ?.received.filter((m) => m.platform === platform);
      return got && got.length >= count ? got : undefined;
    },
    `${count} messages to the ${platform} user`,
    30_000,
  );
}

/** An approved template for Telegram only (no platform moderation to wait for). */
async function telegramTemplate(body: Record<string, unknown>): Promise<string> {
  const created = await request(fx.stack.app)
    .post('/v1/templates')
    .set(bearer(fx.apiKey))
    .send({ category: 'transactional', ...body })
    .expect(201);
  const id = String(created.body.id);
  await request(fx.stack.app).post(`/v1/templates/${id}/submit`).set(bearer(fx.apiKey)).send({}).expect(200);
  await request(fx.stack.app)
    .post(`/v1/templates/${id}/approve`)
    .set(bearer(fx.moderatorKey))
    .send({})
    .expect(200);
  return id;
}

async function threadOf(conversationId: string): Promise<StoredMessage[]> {
  return (await fx.stack.models.InboxMessage.find({ conversationId })
    .sort({ _id: 1 })
    .lean()
    .exec()) as StoredMessage[];
}

describe('the shop FAQ bot in the inbox', () => {
  it('answers on Telegram with the greeting and the answer, buttons inline, and keeps the conversation pending', async () => {
    const user = await customer();
    await fx.sandbox.control.userMessage(user.id, { platform: 'telegram', text: 'сколько стоит дотсавка?' });
    const got = await receivedAtLeast(user.id, 'telegram', 2);
    expect(got[0]?.text).toContain('Я бот магазина');
    expect(got[0]?.buttons.map((b) => [b.kind, b.label])).toEqual([
      ['callback', 'Доставка'],
      ['callback', 'Статус заказа'],
      ['callback', 'Возврат'],
      ['callback', 'Оплата'],
      ['callback', 'Оператор'],
    ]);
    expect(got[1]?.text).toContain('Доставка курьером по Москве');
    const conversation = await conversationOf('telegram', chatIdOf(user, 'telegram'));
    expect(conversation.state).toBe('bot');
    expect(conversation.bot).toMatchObject({ flow: 'shop-faq', version: 1 });
    const thread = await threadOf(String(conversation._id));
    expect(thread.map((m) => [m.direction, m.author?.type])).toEqual([
      ['inbound', 'contact'],
      ['outbound', 'bot'],
      ['outbound', 'bot'],
    ]);
    const list = await api(fx, anna.token).get('/conversations?status=pending').expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(String(conversation._id));
  });

  it('pressing an inline button answers that entry', async () => {
    const user = await customer();
    await fx.sandbox.control.userMessage(user.id, { platform: 'telegram', text: 'Здравствуйте' });
    const [greeting] = await receivedAtLeast(user.id, 'telegram', 1);
    await fx.sandbox.control.pressButton(user.id, {
      platform: 'telegram',
      messageId: greeting?.messageId ?? '',
      button: 'Возврат',
    });
    const got = await receivedAtLeast(user.id, 'telegram', 2);
    expect(got[1]?.text).toMatch(/Вернуть товар/);
  });

  it('takes at most 3 reply buttons on WhatsApp: five options are numbered, two stay buttons', async () => {
    const user = await customer();
    await fx.sandbox.control.userMessage(user.id, { platform: 'whatsapp', text: 'How much is delivery?' });
    const got = await receivedAtLeast(user.id, 'whatsapp', 2);
    expect(got[0]?.buttons).toEqual([]);
    expect(got[0]?.text).toContain('5. Оператор');
    expect(got[1]?.buttons.map((b) => [b.kind, b.label])).toEqual([
      ['reply', 'Сроки доставки'],
      ['reply', 'Пункты выдачи'],
    ]);
  });

  it('hands off after two misses in a row: queued, a thread line, the hand-off event', async () => {
    const user = await customer();
    const since = await fx.stack.inbox.events.currentSeq(fx.workspaceId);
    await fx.sandbox.control.userMessage(user.id, { platform: 'vk', text: 'Привет' });
    await receivedAtLeast(user.id, 'vk', 1);
    await fx.sandbox.control.userMessage(user.id, { platform: 'vk', text: 'фывапролд' });
    const [, fallback] = await receivedAtLeast(user.id, 'vk', 2);
    expect(fallback?.text).toContain('Не понял вопрос');
    expect(fallback?.buttons.map((b) => b.label)).toEqual(['Позвать оператора']);
    await fx.sandbox.control.userMessage(user.id, { platform: 'vk', text: 'какая завтра погода' });
    const [, , handedOver] = await receivedAtLeast(user.id, 'vk', 3);
    expect(handedOver?.text).toContain('Соединяю с оператором');
    const id = String((await conversationOf('vk', chatIdOf(user, 'vk')))._id);
    const queued = await eventually(async () => {
      const doc = await fx.stack.models.Conversation.findById(id).lean().exec();
      return doc && doc.state !== 'bot' ? doc : undefined;
    }, 'the hand-off');
    expect(['queued', 'human']).toContain(queued.state);
    expect(queued.bot).toBeNull();
    expect(queued.handoff).toMatchObject({ reason: 'misses' });
    const view = await api(fx, anna.token).get(`/conversations/${id}`).expect(200);
    expect(view.body.handoff).toMatchObject({ reason: 'misses' });
    // The hand-off is written with the turn; its thread line and event follow the bot's replies.
    const line = await eventually(
      async () => (await threadOf(id)).find((m) => m.kind === 'event' && m.author?.type === 'bot'),
      'the hand-off line',
    );
    expect(line.text).toBe(
      'Bot shop-faq handed over: the bot did not understand the customer several times in a row',
    );
    const handoffEvent = await eventually(
      async () =>
        (await fx.stack.inbox.events.since(fx.workspaceId, since, 500)).find(
          (e) => e.type === 'conversation.handoff' && e.conversationId === id,
        ),
      'the conversation.handoff event',
    );
    expect(handoffEvent.data).toMatchObject({ reason: 'misses' });
    const turns = await eventually(async () => {
      const found = await fx.stack.models.BotTurn.find({ conversationId: id }).lean().exec();
      return found.length === 3 ? found : undefined;
    }, 'three recorded turns');
    expect(turns.map((t) => t.outcome).sort()).toEqual(['answered', 'handoff', 'missed']);
  });

  it('never answers while an operator owns the conversation', async () => {
    const user = await customer();
    await fx.sandbox.control.userMessage(user.id, { platform: 'viber', text: 'оператор' });
    const id = String((await conversationOf('viber', chatIdOf(user, 'viber')))._id);
    await eventually(
      async () => (await threadOf(id)).find((m) => m.kind === 'event' && m.author?.type === 'bot'),
      'the hand-off on the word, with its replies and line',
    );
    await api(fx, anna.token)
      .post(`/conversations/${id}/messages`, { text: 'Здравствуйте, я Анна.' })
      .expect(202);
    await eventually(async () => (await threadOf(id)).length >= 4 || undefined, 'the operator reply');
    const before = (await threadOf(id)).filter((m) => m.author?.type === 'bot').length;
    await fx.sandbox.control.userMessage(user.id, { platform: 'viber', text: 'сколько стоит доставка?' });
    const thread = await eventually(async () => {
      const messages = await threadOf(id);
      return messages.at(-1)?.direction === 'inbound' ? messages : undefined;
    }, 'the customer message');
    expect((await fx.stack.models.Conversation.findById(id).lean().exec())?.state).toBe('human');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await threadOf(id)).filter((m) => m.author?.type === 'bot')).toHaveLength(before);
    expect(thread.at(-1)?.text).toBe('сколько стоит доставка?');
  });
});

describe('flows that fail or follow notifications', () => {
  it('a throwing flow hands off and logs the error with the conversation, not the customer', async () => {
    const engine = path.join(root, 'dist', 'bot-flows', 'engine');
    const source = `const { defineFlow } = require(${JSON.stringify(engine)});
module.exports = defineFlow({
  name: 'broken',
  channels: ['ok'],
  middleware: [() => { throw new TypeError('flow bug: undefined is not a function'); }],
});
`;
    await writeFile(path.join(flowsDir, fx.workspaceId, 'broken.cjs'), source).catch(async () => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(path.join(flowsDir, fx.workspaceId), { recursive: true });
      await writeFile(path.join(flowsDir, fx.workspaceId, 'broken.cjs'), source);
    });
    await eventually(
      async () =>
        (
          await fx.stack.inbox.botFlows.registry.flowFor(
            fx.workspaceId,
            { id: fx.channels.ok ?? '', type: 'ok' },
            { current: null, replyToTemplate: null },
          )
        )?.flow.name === 'broken' || undefined,
      'the folder flow',
    );
    const user = await customer();
    await fx.sandbox.control.userMessage(user.id, { platform: 'ok', text: 'сколько стоит доставка?' });
    const got = await receivedAtLeast(user.id, 'ok' as Platform, 1);
    expect(got[0]?.text).toBe('Передаю ваш вопрос оператору, он ответит здесь же.');
    // The only OK conversation of this file (OK's chat id is not the user id).
    const okConversation = await eventually(
      async () =>
        (await fx.stack.models.Conversation.findOne({
          workspaceId: fx.workspaceId,
          channelId: fx.channels.ok,
        })
          .lean()
          .exec()) ?? undefined,
      'the OK conversation',
    );
    const id = String(okConversation._id);
    const doc = await eventually(async () => {
      const found = await fx.stack.models.Conversation.findById(id).lean().exec();
      return found && found.state !== 'bot' ? found : undefined;
    }, 'the hand-off');
    expect(['queued', 'human']).toContain(doc.state);
    const line = await eventually(
      async () => fx.stack.logLines.find((l) => l.includes('bot flow threw')),
      'the logged flow error',
    );
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      conversationId: id,
      flow: 'broken',
      err: { type: 'TypeError' },
    });
    expect(line).not.toContain(user.phone.slice(1));
  });

  it('the bank follow-up answers the notification’s “Нет” and hands off', async () => {
    const templateId = await telegramTemplate({
      name: 'card_operation',
      body: 'Операция по карте *1234 на #amount# в #shop#. Это вы?',
      channels: ['telegram'],
      buttons: [
        { kind: 'text', label: 'Да', payload: 'confirm' },
        { kind: 'text', label: 'Нет', payload: 'deny' },
      ],
    });
    phoneSeq += 1;
    const { user, contactId } = await personWithContact(fx, `+7916777${String(1000 + phoneSeq)}`);
    await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params: { amount: '5 000 ₽', shop: 'OZON' } },
      route: [{ channel: 'telegram', ttl: '1h' }],
    });
    const [notice] = await receivedAtLeast(user.id, 'telegram', 1);
    expect(notice?.text).toContain('Это вы?');
    // The inbox records a sent notification just after the send: press once it is there.
    await eventually(
      async () =>
        (await fx.stack.models.InboxMessage.findOne({ contactId, 'source.kind': 'notification' })
          .lean()
          .exec()) ?? undefined,
      'the notification in the conversation',
    );
    await fx.sandbox.control.pressButton(user.id, {
      platform: 'telegram',
      messageId: notice?.messageId ?? '',
      button: 'Нет',
    });
    const got = await receivedAtLeast(user.id, 'telegram', 3);
    expect(got[1]?.text).toContain('Карта временно заблокирована');
    const id = String((await conversationOf('telegram', chatIdOf(user, 'telegram')))._id);
    const doc = await eventually(async () => {
      const found = await fx.stack.models.Conversation.findById(id).lean().exec();
      return found && found.state !== 'bot' ? found : undefined;
    }, 'the hand-off');
    expect(['queued', 'human']).toContain(doc.state);
    const turn = await eventually(
      async () => (await fx.stack.models.BotTurn.findOne({ conversationId: id }).lean().exec()) ?? undefined,
      'the recorded turn',
    );
    expect(turn).toMatchObject({ flowName: 'bank-followup', outcome: 'handoff' });
  });
});
