import { Types } from 'mongoose';
import request from 'supertest';
import type { NormalizedEvent } from '../../adapters/contract';
import { createInboxLayer } from '../../inbox/inbox-layer';
import { queueNames } from '../../src/queue/queues';
import { eventually } from '../contract/helpers/sandbox-control';
import { expectBolaMatrix } from '../helpers/bola';
import { inboxProbe } from '../helpers/inbox-ingest-fixture';
import {
  bearer,
  type NotificationFixture,
  personWithContact,
  sendNotification,
  startNotificationFixture,
  waitForStatus,
} from '../helpers/notification-fixture';
import { orderShippedTemplate, phoneSequence, sentAttempt } from '../helpers/notification-paths';

/**
 * The inbox's intake through the real sandbox: sandbox users write on VK, Telegram and WhatsApp
 * (webhooks through the real adapters and the channel event worker), notifications are recorded
 * in the recipients' conversations, and replies are linked to what they answer.
 */
jest.setTimeout(120_000);

let fx: NotificationFixture;
let probe: ReturnType<typeof inboxProbe>;
let templateId: string;
const nextPhone = phoneSequence('517');
const params = { order: '2077', track: 'RB456' };
const sentText = 'Заказ №2077 передан в доставку. Трек: RB456, статус — в приложении.';

beforeAll(async () => {
  fx = await startNotificationFixture('inbox-ingest');
  probe = inboxProbe(fx);
  templateId = await orderShippedTemplate(fx);
}, 120_000);
afterAll(() => fx.close());

const api = () => request(fx.stack.app);
const notify = (contactId: string, channel: string) =>
  sendNotification(fx, {
    to: { contactId },
    template: { id: templateId, params },
    route: [{ channel, ttl: '1h' }],
  });
const say = (userId: string, platform: string, text: string, replyTo?: string) =>
  fx.sandbox.control.userMessage(userId, { platform, text, ...(replyTo ? { replyTo } : {}) });
const newUser = (name: string) => fx.sandbox.control.createUser({ phone: nextPhone(), name });

/** The record of a notification's first attempt in the inbox. */
async function notificationRecord(notificationId: string) {
  return probe.message(
    { 'source.id': notificationId, kind: 'notification' },
    `the record of ${notificationId}`,
  );
}

describe('customer messages', () => {
  it('a Telegram message from a new person makes a contact, a queued conversation and the message, with events in seq order', async () => {
    const user = await newUser('Борис');
    const telegramId = String(user.accounts.telegram?.id);
    const before = await probe.seq();
    await say(user.id, 'telegram', 'Где мой заказ?');
    const message = await probe.message({ text: 'Где мой заказ?' }, 'the Telegram message');
    expect(message).toMatchObject({ direction: 'inbound', kind: 'text', status: 'received', replyTo: null });
    expect(message.author).toMatchObject({ type: 'contact' });
    const claim = await fx.stack.models.ContactIdentity.findOne({
      workspaceId: fx.workspaceId,
      channelId: fx.channels.telegram,
      externalUserId: telegramId,
    })
      .lean()
      .exec();
    expect(String(claim?.contactId)).toBe(String(message.contactId));
    const contact = await fx.stack.models.Contact.findById(message.contactId).lean().exec();
    expect(contact?.name).toContain('Борис');
    expect(contact?.identities.map((identity) => identity.externalUserId)).toEqual([telegramId]);
    const conversation = await probe.conversation(message.conversationId);
    expect(conversation).toMatchObject({
      state: 'queued',
      channelType: 'telegram',
      externalChatId: telegramId,
      unreadCount: 1,
      contactName: contact?.name,
      lastMessage: { direction: 'inbound', kind: 'text', text: 'Где мой заказ?' },
    });
    expect(conversation.lastInboundAt).toEqual(message.createdAt);
    expect(conversation.queuedAt).not.toBeNull();
    const events = (await probe.events(before)).filter(
      (event) => event.conversationId === String(conversation._id),
    );
    expect(events.map((event) => event.type)).toEqual(['conversation.created', 'message.created']);
    expect(events[0]?.seq).toBeLessThan(events[1]?.seq ?? 0);
    expect(events[1]?.data).toMatchObject({ id: String(message._id), text: 'Где мой заказ?' });
    expect(events[0]?.data).toMatchObject({ id: String(conversation._id), status: 'open', unreadCount: 1 });
  });

  it('VK messages thread into one conversation: unread counts up, conversation.updated follows', async () => {
    const user = await newUser('Вера');
    const vkId = String(user.accounts.vk?.id);
    await say(user.id, 'vk', 'Здравствуйте');
    const first = await probe.message(
      { text: 'Здравствуйте', channelId: fx.channels.vk },
      'the first VK message',
    );
    const seq = await probe.seq();
    await say(user.id, 'vk', 'Есть кто?');
    const second = await probe.message({ text: 'Есть кто?' }, 'the second VK message');
    expect(String(second.conversationId)).toBe(String(first.conversationId));
    const conversation = await probe.chat('vk', vkId);
    expect(conversation).toMatchObject({
      unreadCount: 2,
      state: 'queued',
      lastMessage: { text: 'Есть кто?' },
    });
    const events = (await probe.events(seq)).filter(
      (event) => event.conversationId === String(conversation._id),
    );
    expect(events.map((event) => event.type)).toEqual(['conversation.updated', 'message.created']);
  });

  it('a WhatsApp sender is linked by phone to the contact the business already has', async () => {
    const phone = nextPhone();
    const created = await api()
      .post('/v1/contacts')
      .set(bearer(fx.apiKey))
      .send({ name: 'Галина Петровна', phone })
      .expect(201);
    const user = await fx.sandbox.control.createUser({ phone, name: 'Галя' });
    await say(user.id, 'whatsapp', 'Можно перенести доставку?');
    const message = await probe.message({ text: 'Можно перенести доставку?' }, 'the WhatsApp message');
    expect(String(message.contactId)).toBe(created.body.id);
    const contact = await api().get(`/v1/contacts/${created.body.id}`).set(bearer(fx.apiKey)).expect(200);
    expect(contact.body).toMatchObject({ name: 'Галина Петровна', phone });
    expect(contact.body.identities).toEqual([
      { channelId: fx.channels.whatsapp, channelType: 'whatsapp', externalUserId: phone.slice(1) },
    ]);
    const conversation = await probe.conversation(message.conversationId);
    expect(conversation).toMatchObject({
      contactPhone: phone,
      contactName: 'Галина Петровна',
      externalChatId: phone.slice(1),
    });
  });

  it('an event processed again (a retry, a second worker) stores no second message and publishes nothing', async () => {
    const user = await newUser('Дина');
    await say(user.id, 'vk', 'Повтор');
    const message = await probe.message({ text: 'Повтор' }, 'the VK message');
    const stored = await eventually(
      async () =>
        (await fx.stack.models.ChannelEvent.findOne({ _id: message.channelEventId, state: 'processed' })
          .lean()
          .exec()) ?? undefined,
      'the channel event to be processed',
    );
    const seq = await probe.seq();
    await fx.stack.models.ChannelEvent.updateOne({ _id: stored._id }, { $set: { state: 'received' } }).exec();
    await fx.stack.queues
      .queue(queueNames.channelEvents)
      .add('process-event', { eventId: String(stored._id) });
    await eventually(
      async () =>
        (await fx.stack.models.ChannelEvent.findOne({ _id: stored._id, state: 'processed' }).lean().exec()) ??
        undefined,
      'the event to be processed again',
    );
    const input = {
      channelId: fx.channels.vk as string,
      workspaceId: String(fx.workspaceId),
      eventId: String(stored._id),
      event: stored.event as NormalizedEvent,
    };
    await Promise.all([fx.stack.inbox.listener(input), fx.stack.inbox.listener(input)]);
    expect(await probe.messages({ dedupeKey: message.dedupeKey })).toHaveLength(1);
    expect((await probe.conversation(message.conversationId)).unreadCount).toBe(1);
    expect(
      (await probe.events(seq)).filter((event) => event.conversationId === String(message.conversationId)),
    ).toEqual([]);
  });

  it('two inbox layers ingesting the same burst at once make one contact, one conversation and one message each', async () => {
    const { stack } = fx;
    const second = createInboxLayer({
      models: stack.models,
      redis: stack.redis,
      queues: stack.queues,
      channels: stack.channels,
      config: stack.config,
      events: stack.events,
      logger: stack.logger,
    });
    const userId = `77${Date.now() % 1_000_000}`;
    const burst = Array.from({ length: 6 }, (_, index) => ({
      channelId: fx.channels.vk as string,
      workspaceId: String(fx.workspaceId),
      eventId: String(new Types.ObjectId()),
      files: [],
      event: {
        type: 'inbound-message',
        eventKey: `burst-${userId}-${index}`,
        externalMessageId: `${userId}_${index + 1}`,
        from: { externalUserId: userId, name: 'Параллельный' },
        conversationId: userId,
        text: `сообщение ${index + 1}`,
        attachments: [],
        occurredAt: new Date(),
      } satisfies NormalizedEvent,
    }));
    const seq = await probe.seq();
    const outcomes = await Promise.all(
      burst.flatMap((input) => [stack.inbox.listener(input), second.listener(input), second.listener(input)]),
    );
    expect(new Set(outcomes)).toEqual(new Set(['done']));
    const claims = await stack.models.ContactIdentity.find({
      workspaceId: fx.workspaceId,
      externalUserId: userId,
    })
      .lean()
      .exec();
    expect(claims).toHaveLength(1);
    const contacts = await stack.models.Contact.find({
      workspaceId: fx.workspaceId,
      'identities.externalUserId': userId,
    })
      .lean()
      .exec();
    expect(contacts.map((contact) => String(contact._id))).toEqual([String(claims[0]?.contactId)]);
    const conversations = await stack.models.Conversation.find({
      workspaceId: fx.workspaceId,
      externalChatId: userId,
    })
      .lean()
      .exec();
    expect(conversations).toHaveLength(1);
    const messages = await probe.messages({ conversationId: conversations[0]?._id });
    expect(messages.map((message) => message.text).sort()).toEqual(
      burst.map((input) => input.event.text).sort(),
    );
    expect(conversations[0]?.unreadCount).toBe(6);
    const events = (await probe.events(seq)).filter(
      (event) => event.conversationId === String(conversations[0]?._id),
    );
    expect(events.filter((event) => event.type === 'message.created')).toHaveLength(6);
    expect(events.filter((event) => event.type === 'conversation.created')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'conversation.updated')).toHaveLength(5);
    const seqs = events.map((event) => event.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('a closed conversation reopens to the queue on the customer’s next message', async () => {
    const user = await newUser('Елена');
    await say(user.id, 'vk', 'Спасибо, всё пришло');
    const first = await probe.message({ text: 'Спасибо, всё пришло' }, 'the VK message');
    await fx.stack.models.Conversation.collection.updateOne(
      { _id: first.conversationId },
      { $set: { state: 'closed', resolvedAt: new Date(), queuedAt: null, assigneeId: new Types.ObjectId() } },
    );
    await say(user.id, 'vk', 'Хотя нет, вопрос');
    const second = await probe.message({ text: 'Хотя нет, вопрос' }, 'the second message');
    const conversation = await probe.conversation(second.conversationId);
    expect(String(conversation._id)).toBe(String(first.conversationId));
    expect(conversation).toMatchObject({ state: 'queued', resolvedAt: null, assigneeId: null });
    expect(conversation.queuedAt).toEqual(second.createdAt);
  });
});

describe('notification records and reply context', () => {
  it('a VK notification is recorded with its exact text; the reply links to it (inferred); ticks follow the attempt', async () => {
    const { user, contactId } = await personWithContact(fx, nextPhone(), { name: 'Жанна' });
    const id = await notify(contactId, 'vk');
    await waitForStatus(fx, id, 'sent');
    const { externalId } = await sentAttempt(fx, id);
    const record = await notificationRecord(id);
    const [received] = await fx.sandbox.control.received(user.id, 'vk');
    expect(received?.text).toBe(sentText);
    expect(record).toMatchObject({
      direction: 'outbound',
      kind: 'notification',
      text: sentText,
      externalMessageId: externalId,
      status: 'sent',
      author: { type: 'system' },
      source: { kind: 'notification', id, name: 'order_shipped' },
    });
    expect(String(record.contactId)).toBe(contactId);
    const conversation = await probe.conversation(record.conversationId);
    expect(conversation).toMatchObject({
      state: 'closed',
      unreadCount: 0,
      lastMessage: { kind: 'notification' },
    });

    const seq = await probe.seq();
    await fx.sandbox.control.read(user.id, { platform: 'vk' });
    await waitForStatus(fx, id, 'read');
    const read = await probe.message({ _id: record._id, status: 'read' }, 'the record to be read');
    expect(read.statusTimes?.read).toBeInstanceOf(Date);
    await probe.eventsUntil(
      seq,
      (event) => event.type === 'message.updated' && (event.data as { status: string }).status === 'read',
      'message.updated (read) of the record',
    );

    await say(user.id, 'vk', 'А когда привезут?');
    const reply = await probe.message({ text: 'А когда привезут?' }, 'the reply');
    expect(String(reply.conversationId)).toBe(String(record.conversationId));
    expect(reply.replyTo).toMatchObject({
      inferred: true,
      via: 'recent',
      kind: 'notification',
      name: 'order_shipped',
      text: sentText,
    });
    expect(String(reply.replyTo?.messageId)).toBe(String(record._id));
    expect(await probe.conversation(record.conversationId)).toMatchObject({
      state: 'queued',
      unreadCount: 1,
    });
  });

  it('a vk-notify notification answered in VK community messages is linked across channels', async () => {
    const { user, contactId } = await personWithContact(fx, nextPhone(), { name: 'Зоя' });
    const id = await notify(contactId, 'vk-notify');
    await waitForStatus(fx, id, 'delivered');
    const record = await notificationRecord(id);
    expect(record).toMatchObject({ text: sentText, channelId: new Types.ObjectId(fx.channels['vk-notify']) });
    await say(user.id, 'vk', 'Это по поводу заказа 2077');
    const reply = await probe.message({ text: 'Это по поводу заказа 2077' }, 'the VK reply');
    expect(String(reply.conversationId)).not.toBe(String(record.conversationId));
    expect(String(reply.contactId)).toBe(contactId);
    expect(reply.replyTo).toMatchObject({
      inferred: true,
      via: 'recent',
      text: sentText,
      name: 'order_shipped',
    });
    expect(String(reply.replyTo?.messageId)).toBe(String(record._id));
  });

  it.each(['telegram', 'whatsapp'])(
    '%s: the platform’s reply reference wins over the latest notification',
    async (platform) => {
      const { user, contactId } = await personWithContact(fx, nextPhone(), { name: 'Ирина' });
      if (platform === 'telegram') await say(user.id, 'telegram', '/start');
      const first = await notify(contactId, platform);
      await sentAttempt(fx, first);
      const firstRecord = await notificationRecord(first);
      const second = await notify(contactId, platform);
      await sentAttempt(fx, second);
      await notificationRecord(second);
      const received = await fx.sandbox.control.received(user.id, platform);
      expect(received.map((message) => message.text)).toEqual([sentText, sentText]);
      await say(user.id, platform, `Это про первый (${platform})`, received[0]?.messageId);
      const reply = await probe.message({ text: `Это про первый (${platform})` }, `the ${platform} reply`);
      expect(reply.replyTo).toMatchObject({
        inferred: false,
        via: 'platform-reply',
        kind: 'notification',
        text: sentText,
      });
      expect(String(reply.replyTo?.messageId)).toBe(String(firstRecord._id));
    },
  );

  it('a button press is a `button` message linked by the id its payload carries; verification answers are not stored', async () => {
    const { user, contactId } = await personWithContact(fx, nextPhone(), { name: 'Лариса' });
    const id = await notify(contactId, 'vk');
    await waitForStatus(fx, id, 'sent');
    const record = await notificationRecord(id);
    const vkId = String(user.accounts.vk?.id);
    const press = (eventKey: string, payload: string) => ({
      channelId: fx.channels.vk as string,
      workspaceId: String(fx.workspaceId),
      eventId: String(new Types.ObjectId()),
      event: {
        type: 'button-press',
        eventKey,
        from: { externalUserId: vkId },
        conversationId: vkId,
        payload,
        occurredAt: new Date(),
      } satisfies NormalizedEvent,
    });
    await fx.stack.inbox.listener(press(`press-${vkId}-1`, `rate:${id}:5`));
    const pressed = await probe.message({ kind: 'button', payload: `rate:${id}:5` }, 'the button message');
    expect(pressed).toMatchObject({ direction: 'inbound', text: `rate:${id}:5` });
    expect(pressed.replyTo).toMatchObject({ inferred: false, via: 'button-payload', text: sentText });
    expect(String(pressed.replyTo?.messageId)).toBe(String(record._id));
    const verification = `vrf:${String(new Types.ObjectId())}:yes`;
    await fx.stack.inbox.listener(press(`press-${vkId}-2`, verification));
    expect(await probe.messages({ payload: verification })).toEqual([]);
  });

  it('a notification older than 7 days is not linked', async () => {
    const { user, contactId } = await personWithContact(fx, nextPhone(), { name: 'Кира' });
    const id = await notify(contactId, 'vk');
    await waitForStatus(fx, id, 'sent');
    const record = await notificationRecord(id);
    await fx.stack.models.InboxMessage.collection.updateOne(
      { _id: record._id },
      { $set: { createdAt: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) } },
    );
    await say(user.id, 'vk', 'Старое уже не актуально');
    const reply = await probe.message({ text: 'Старое уже не актуально' }, 'the reply');
    expect(reply.replyTo).toBeNull();
  });

  it('delivery reports of an inbox reply move its ticks forward and publish message.updated', async () => {
    const user = await newUser('Лида');
    await say(user.id, 'vk', 'Ответьте, пожалуйста');
    const inbound = await probe.message({ text: 'Ответьте, пожалуйста' }, 'the VK message');
    const channel = await fx.stack.channels.runtime.lookup(fx.channels.vk as string);
    if (!channel) throw new Error('no VK channel');
    const messageId = new Types.ObjectId();
    const sent = await fx.stack.channels.runtime
      .adapterFor(channel)
      .send(
        { kind: 'user', externalUserId: String(user.accounts.vk?.id) },
        { type: 'text', text: 'Уже смотрим' },
        { messageId: String(messageId) },
      );
    if (!sent.ok) throw new Error(`send failed: ${JSON.stringify(sent)}`);
    await fx.stack.models.InboxMessage.create({
      _id: messageId,
      workspaceId: fx.workspaceId,
      conversationId: inbound.conversationId,
      contactId: inbound.contactId,
      channelId: inbound.channelId,
      direction: 'outbound',
      kind: 'text',
      author: { type: 'operator', operatorId: null, name: 'Оператор' },
      text: 'Уже смотрим',
      dedupeKey: `out:${String(messageId)}`,
      externalMessageId: sent.externalMessageId,
      status: 'sent',
      statusTimes: { sent: new Date() },
    });
    const seq = await probe.seq();
    await fx.sandbox.control.read(user.id, { platform: 'vk' });
    const read = await eventually(
      async () =>
        (await fx.stack.models.InboxMessage.findOne({ _id: messageId, status: 'read' }).lean().exec()) ??
        undefined,
      'the reply to be read',
      20_000,
    );
    expect(read.statusTimes?.read).toBeInstanceOf(Date);
    expect(read.statusTimes?.delivered).toBeInstanceOf(Date);
    const events = await probe.eventsUntil(
      seq,
      (event) => event.type === 'message.updated' && (event.data as { id: string }).id === String(messageId),
      'message.updated of the reply',
    );
    const updates = events.filter((event) => event.type === 'message.updated');
    expect(updates.map((event) => event.data)).toContainEqual(
      expect.objectContaining({ id: String(messageId), status: 'read' }),
    );
  });
});

describe('contacts', () => {
  it('merge joins identities, conversations and messages into one contact and deletes the other', async () => {
    const user = await newUser('Мария');
    await say(user.id, 'telegram', 'Я писала в телеграме');
    const message = await probe.message({ text: 'Я писала в телеграме' }, 'the Telegram message');
    const otherId = String(message.contactId);
    const keep = await api()
      .post('/v1/contacts')
      .set(bearer(fx.apiKey))
      .send({ name: 'Мария Сергеевна', phone: user.phone, email: 'maria@example.ru' })
      .expect(201);
    const seq = await probe.seq();
    const merged = await api()
      .post(`/v1/contacts/${keep.body.id}/merge`)
      .set(bearer(fx.apiKey))
      .send({ contactId: otherId })
      .expect(200);
    expect(merged.body).toMatchObject({ id: keep.body.id, name: 'Мария Сергеевна', phone: user.phone });
    expect(merged.body.identities).toEqual([
      {
        channelId: fx.channels.telegram,
        channelType: 'telegram',
        externalUserId: String(user.accounts.telegram?.id),
      },
    ]);
    await api().get(`/v1/contacts/${otherId}`).set(bearer(fx.apiKey)).expect(404);
    const conversation = await probe.conversation(message.conversationId);
    expect(conversation).toMatchObject({ contactName: 'Мария Сергеевна', contactPhone: user.phone });
    expect(String(conversation.contactId)).toBe(keep.body.id);
    expect(await probe.messages({ contactId: new Types.ObjectId(otherId) })).toEqual([]);
    const updated = (await probe.events(seq)).filter((event) => event.type === 'conversation.updated');
    expect(updated.map((event) => event.conversationId)).toContain(String(conversation._id));

    await say(user.id, 'telegram', 'И ещё вопрос');
    const next = await probe.message({ text: 'И ещё вопрос' }, 'the next message');
    expect(String(next.contactId)).toBe(keep.body.id);
    expect(String(next.conversationId)).toBe(String(conversation._id));
  });

  it('merge refuses a contact into itself (422) and another workspace’s contacts (404)', async () => {
    const own = await api().post('/v1/contacts').set(bearer(fx.apiKey)).send({ name: 'Сам' }).expect(201);
    const self = await api()
      .post(`/v1/contacts/${own.body.id}/merge`)
      .set(bearer(fx.apiKey))
      .send({ contactId: own.body.id })
      .expect(422);
    expect(self.headers['content-type']).toContain('application/problem+json');
    expect(self.body).toMatchObject({ code: 'contact.merge_invalid', errors: [{ path: 'body.contactId' }] });
    const bad = await api()
      .post(`/v1/contacts/${own.body.id}/merge`)
      .set(bearer(fx.apiKey))
      .send({ contactId: 'not-an-id' })
      .expect(400);
    expect(bad.body.code).toBe('request.validation_failed');

    const victimA = await api().post('/v1/contacts').set(bearer(fx.apiKey)).send({ name: 'A' }).expect(201);
    const victimB = await api().post('/v1/contacts').set(bearer(fx.apiKey)).send({ name: 'B' }).expect(201);
    const attackers = await api()
      .post('/v1/contacts')
      .set(bearer(fx.otherKey))
      .send({ name: 'X' })
      .expect(201);
    await expectBolaMatrix(fx.stack.app, {
      attacker: fx.otherKey,
      owner: fx.apiKey,
      cases: [
        { method: 'get', path: `/v1/contacts/${victimA.body.id}` },
        {
          method: 'post',
          path: `/v1/contacts/${victimA.body.id}/merge`,
          body: { contactId: victimB.body.id },
        },
      ],
    });
    const pull = await api()
      .post(`/v1/contacts/${attackers.body.id}/merge`)
      .set(bearer(fx.otherKey))
      .send({ contactId: own.body.id })
      .expect(404);
    expect(pull.body.code).toBe('resource.not_found');
    await api().get(`/v1/contacts/${own.body.id}`).set(bearer(fx.apiKey)).expect(200);
  });

  it('creating a contact with an identity another contact holds answers 409 naming the field', async () => {
    const user = await newUser('Нина');
    await say(user.id, 'vk', 'Привет');
    await probe.message({ text: 'Привет', channelId: fx.channels.vk }, 'the VK message');
    const conflict = await api()
      .post('/v1/contacts')
      .set(bearer(fx.apiKey))
      .send({
        name: 'Дубль',
        identities: [{ channelId: fx.channels.vk, externalUserId: String(user.accounts.vk?.id) }],
      })
      .expect(409);
    expect(conflict.body).toMatchObject({
      code: 'resource.conflict',
      errors: [{ path: 'body.identities.0.externalUserId' }],
    });
    const fresh = await api()
      .post('/v1/contacts')
      .set(bearer(fx.apiKey))
      .send({ name: 'Новый', identities: [{ channelId: fx.channels.vk, externalUserId: '424242' }] })
      .expect(201);
    const again = await api()
      .post('/v1/contacts')
      .set(bearer(fx.apiKey))
      .send({ identities: [{ channelId: fx.channels.vk, externalUserId: '424242' }] })
      .expect(409);
    expect(again.body.detail).toContain('body.identities.0.externalUserId');
    const claim = await fx.stack.models.ContactIdentity.findOne({ externalUserId: '424242' }).lean().exec();
    expect(String(claim?.contactId)).toBe(fresh.body.id);
  });

  it('lists contacts by a literal name or phone search', async () => {
    const phone = nextPhone();
    await api()
      .post('/v1/contacts')
      .set(bearer(fx.apiKey))
      .send({ name: 'Ольга (VIP).*', phone })
      .expect(201);
    const byName = await api().get('/v1/contacts').query({ q: '(vip).*' }).set(bearer(fx.apiKey)).expect(200);
    expect(byName.body.items.map((item: { phone: string }) => item.phone)).toEqual([phone]);
    const byPhone = await api()
      .get('/v1/contacts')
      .query({ q: phone.slice(-7) })
      .set(bearer(fx.apiKey))
      .expect(200);
    expect(byPhone.body.items.map((item: { phone: string }) => item.phone)).toEqual([phone]);
    const none = await api().get('/v1/contacts').query({ q: '.+' }).set(bearer(fx.apiKey)).expect(200);
    expect(none.body.items).toEqual([]);
    const page = await api().get('/v1/contacts').query({ limit: 2 }).set(bearer(fx.apiKey)).expect(200);
    expect(page.body.items).toHaveLength(2);
    const rest = await api()
      .get('/v1/contacts')
      .query({ limit: 2, cursor: page.body.nextCursor })
      .set(bearer(fx.apiKey))
      .expect(200);
    expect(rest.body.items[0].id).not.toBe(page.body.items[0].id);
    await api().get('/v1/contacts').query({ cursor: 'nope' }).set(bearer(fx.apiKey)).expect(400);
  });
});
