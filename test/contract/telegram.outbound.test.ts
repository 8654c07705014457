import type { AdapterContext, ChannelAdapter, Recipient } from '../../adapters/contract';
import { telegramAdapter } from '../../adapters/telegram';
import { sampleJpeg } from '../../src/sandbox/file-store';
import {
  type SandboxControl,
  type SandboxUser,
  startTestSandbox,
  type TestSandbox,
} from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

const silentLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Setup {
  sandbox: TestSandbox;
  control: SandboxControl;
  receiver: WebhookReceiver;
  token: string;
  apiRoot: string;
}

const setup = {} as Setup;
let adapter: ChannelAdapter;
let phone = 0;

function createAdapter(token: string, overrides: Partial<AdapterContext> = {}): ChannelAdapter {
  return telegramAdapter.create(
    telegramAdapter.configSchema.parse({ botToken: token, apiRoot: setup.apiRoot }),
    {
      logger: silentLogger,
      webhook: { url: setup.receiver.url, key: setup.receiver.key },
      emit: setup.receiver.emit,
      requestTimeoutMs: 2_000,
      ...overrides,
    },
  );
}

async function newUser(
  account: Record<string, unknown> | true = true,
): Promise<{ user: SandboxUser; to: Recipient }> {
  phone += 1;
  const user = await setup.control.createUser({
    phone: `+7916100${String(phone).padStart(4, '0')}`,
    name: 'Иван Смирнов',
    accounts: { telegram: account },
  });
  return { user, to: { kind: 'user', externalUserId: user.accounts.telegram?.id ?? '' } };
}

/** The requests the simulator logged since `before`, minus the sandbox's own bookkeeping. */
async function requestsSince(before: number) {
  return (await setup.control.requests('telegram')).slice(before);
}
const requestCount = async (): Promise<number> => (await setup.control.requests('telegram')).length;
const nextId = (): string => `msg-${Date.now()}-${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  setup.sandbox = await startTestSandbox('telegram-outbound');
  setup.control = setup.sandbox.control;
  setup.receiver = new WebhookReceiver();
  await setup.receiver.start();
  setup.apiRoot = `${setup.sandbox.sandbox.url}/telegram`;
  setup.token = (await setup.control.createAccount<{ token: string }>('telegram')).token;
  adapter = createAdapter(setup.token);
  setup.receiver.adapter = adapter;
  await adapter.connect();
});
afterAll(async () => {
  await adapter?.close();
  await setup.receiver?.close();
  await setup.sandbox?.close();
});
afterEach(() => setup.control.clearFaults());

describe('telegram outbound: the exact Bot API requests', () => {
  it('registers the webhook with the secret token and the update types it maps', async () => {
    const [request] = (await setup.control.requests('telegram')).filter((entry) =>
      entry.path.endsWith('/setWebhook'),
    );
    expect(request).toMatchObject({
      method: 'POST',
      path: `/bot${setup.token}/setWebhook`,
      contentType: 'application/json',
      body: {
        url: setup.receiver.url,
        secret_token: setup.receiver.key,
        allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      },
    });
  });

  it('sends text as sendMessage with the chat id and nothing else', async () => {
    const { user, to } = await newUser();
    const before = await requestCount();
    const result = await adapter.send(
      to,
      { type: 'text', text: 'Заказ №1042 доставлен' },
      { messageId: nextId() },
    );
    expect(result).toEqual({ ok: true, externalMessageId: `${to.kind === 'user' && to.externalUserId}:1` });
    expect(await requestsSince(before)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/bot${setup.token}/sendMessage`,
        body: { chat_id: user.accounts.telegram?.id, text: 'Заказ №1042 доставлен' },
      }),
    ]);
  });

  it('renders callback and link buttons as an inline keyboard, one per row', async () => {
    const { user, to } = await newUser();
    const before = await requestCount();
    const result = await adapter.send(
      to,
      {
        type: 'text',
        text: 'Счёт на 1 500 ₽',
        buttons: [
          { kind: 'callback', label: 'Оплатить', payload: 'pay:1042' },
          { kind: 'link', label: 'Открыть заказ', url: 'https://shop.example/orders/1042' },
        ],
      },
      { messageId: nextId() },
    );
    const [request] = await requestsSince(before);
    expect(request?.body).toEqual({
      chat_id: user.accounts.telegram?.id,
      text: 'Счёт на 1 500 ₽',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Оплатить', callback_data: 'pay:1042' }],
          [{ text: 'Открыть заказ', url: 'https://shop.example/orders/1042' }],
        ],
      },
    });
    const received = await setup.control.received(user.id, 'telegram');
    expect(
      received.find((message) => result.ok && message.messageId === result.externalMessageId)?.buttons,
    ).toEqual([
      { label: 'Оплатить', kind: 'callback', payload: 'pay:1042' },
      { label: 'Открыть заказ', kind: 'link', url: 'https://shop.example/orders/1042' },
    ]);
  });

  it('renders reply buttons as a one-time reply keyboard', async () => {
    const { to } = await newUser();
    const before = await requestCount();
    await adapter.send(
      to,
      {
        type: 'text',
        text: 'Удобно ли время доставки?',
        buttons: [
          { kind: 'reply', label: 'Да', payload: 'yes' },
          { kind: 'reply', label: 'Нет', payload: 'no' },
        ],
      },
      { messageId: nextId() },
    );
    const [request] = await requestsSince(before);
    expect(request?.body).toMatchObject({
      reply_markup: {
        keyboard: [[{ text: 'Да' }], [{ text: 'Нет' }]],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    });
  });

  it('quotes the message it answers with reply_parameters', async () => {
    const { user, to } = await newUser();
    const { messageId } = await setup.control.userMessage(user.id, {
      platform: 'telegram',
      text: 'Где курьер?',
    });
    const before = await requestCount();
    const result = await adapter.send(
      to,
      { type: 'text', text: 'Курьер в пути' },
      { messageId: nextId(), replyToExternalId: messageId },
    );
    const [request] = await requestsSince(before);
    expect(request?.body).toMatchObject({
      reply_parameters: { message_id: Number(messageId.split(':')[1]), allow_sending_without_reply: true },
    });
    const received = await setup.control.received(user.id, 'telegram');
    expect(
      received.find((message) => result.ok && message.messageId === result.externalMessageId)?.replyTo,
    ).toBe(messageId);
  });

  it('sends an image with its text as one sendPhoto (multipart) with the caption', async () => {
    const { user, to } = await newUser();
    const before = await requestCount();
    const result = await adapter.send(
      to,
      {
        type: 'text',
        text: 'Ваш чек',
        images: [{ mimeType: 'image/jpeg', fileName: 'receipt.jpg', data: sampleJpeg }],
        buttons: [{ kind: 'callback', label: 'Спасибо', payload: 'thanks' }],
      },
      { messageId: nextId() },
    );
    const requests = await requestsSince(before);
    expect(requests.map((entry) => entry.path)).toEqual([`/bot${setup.token}/sendPhoto`]);
    expect(requests[0]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const received = (await setup.control.received(user.id, 'telegram')).find(
      (message) => result.ok && message.messageId === result.externalMessageId,
    );
    expect(received).toMatchObject({
      text: 'Ваш чек',
      images: [{ mimeType: 'image/jpeg', size: sampleJpeg.length }],
    });
    expect(received?.buttons.map((button) => button.label)).toEqual(['Спасибо']);
  });

  it('sends the photo first and the text after it when the text is longer than a caption', async () => {
    const { to } = await newUser();
    const before = await requestCount();
    const text = 'а'.repeat(1025);
    const result = await adapter.send(
      to,
      { type: 'text', text, images: [{ mimeType: 'image/jpeg', fileName: 'a.jpg', data: sampleJpeg }] },
      { messageId: nextId() },
    );
    const requests = await requestsSince(before);
    expect(requests.map((entry) => entry.path.split('/').at(-1))).toEqual(['sendPhoto', 'sendMessage']);
    expect(requests[1]?.body).toEqual({ chat_id: to.kind === 'user' ? to.externalUserId : '', text });
    expect(result).toEqual({ ok: true, externalMessageId: `${to.kind === 'user' && to.externalUserId}:2` });
  });

  it('deletes a message with deleteMessage on the parsed chat and message id', async () => {
    const { to } = await newUser();
    const result = await adapter.send(to, { type: 'text', text: 'Отменено' }, { messageId: nextId() });
    if (!result.ok) throw new Error('send failed');
    const before = await requestCount();
    expect(await adapter.withdraw?.({ externalMessageId: result.externalMessageId, recipient: to })).toEqual({
      ok: true,
    });
    const [chatId, messageId] = result.externalMessageId.split(':');
    expect((await requestsSince(before))[0]).toMatchObject({
      path: `/bot${setup.token}/deleteMessage`,
      body: { chat_id: chatId, message_id: Number(messageId) },
    });
    expect(
      await adapter.withdraw?.({ externalMessageId: result.externalMessageId, recipient: to }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'rejected', code: 400 },
    });
  });
});

describe('telegram outbound: refusals before any request', () => {
  it.each([
    [
      'reply and inline buttons mixed',
      [
        { kind: 'reply' as const, label: 'Да', payload: 'yes' },
        { kind: 'callback' as const, label: 'Нет', payload: 'no' },
      ],
      'buttons.kinds',
    ],
    [
      'a callback payload over 64 bytes',
      [{ kind: 'callback' as const, label: 'Да', payload: 'я'.repeat(33) }],
      'buttons.payloadBytes',
    ],
  ])('refuses %s', async (_what, buttons, limit) => {
    const { to } = await newUser();
    const before = await requestCount();
    const result = await adapter.send(to, { type: 'text', text: 'Выбор', buttons }, { messageId: nextId() });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'content-invalid', code: limit },
    });
    expect(await requestCount()).toBe(before);
  });

  it('refuses a phone number recipient: bots reach chat ids only', async () => {
    const result = await adapter.send(
      { kind: 'phone', phone: '+79160000000' },
      { type: 'text', text: 'Привет' },
      { messageId: nextId() },
    );
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason: 'recipient-invalid' } });
  });
});

describe('telegram outbound: Bot API errors mapped to failures', () => {
  it.each([
    [
      'a user who never started the bot',
      { reachable: false },
      'not-allowed',
      "Forbidden: bot can't initiate conversation with a user",
    ],
    ['a user who blocked the bot', { blocked: true }, 'blocked', 'Forbidden: bot was blocked by the user'],
  ])('maps %s to a permanent failure', async (_who, account, reason, detail) => {
    const { to } = await newUser(account);
    const result = await adapter.send(to, { type: 'text', text: 'Акция' }, { messageId: nextId() });
    expect(result).toEqual({ ok: false, failure: { kind: 'permanent', reason, detail, code: 403 } });
  });

  it('maps an unknown chat to no-account', async () => {
    const result = await adapter.send(
      { kind: 'user', externalUserId: '999' },
      { type: 'text', text: 'Привет' },
      { messageId: nextId() },
    );
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'permanent', reason: 'no-account', detail: 'Bad Request: chat not found', code: 400 },
    });
  });

  it('maps a revoked token to auth, and connect reports the failure', async () => {
    const revoked = createAdapter(`${setup.token.split(':')[0]}:AAnotTheRealTokenButLongEnough1234567`);
    const { to } = await newUser();
    expect(await revoked.send(to, { type: 'text', text: 'Привет' }, { messageId: nextId() })).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'auth', code: 401 },
    });
    expect(await revoked.connect()).toEqual({ webhook: 'failed', detail: '401: Unauthorized' });
  });

  it('gets the simulator’s own 30 messages/s limit as rate-limited with retry_after', async () => {
    const { to } = await newUser();
    await setup.control.advanceClock(1_000); // a fresh one-second window
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        adapter.send(to, { type: 'text', text: 'Рассылка' }, { messageId: nextId() }),
      ),
    );
    const limited = results.filter((result) => !result.ok);
    expect(results.length - limited.length).toBeLessThanOrEqual(30);
    expect(limited.length).toBeGreaterThan(0);
    for (const result of limited)
      expect(result).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: 1000, code: 429 } });
    await setup.control.advanceClock(1_000);
  });

  it('reports a platform that never answers as retryable after the request timeout', async () => {
    const impatient = createAdapter(setup.token, { requestTimeoutMs: 300 });
    const { to } = await newUser();
    await setup.control.addFault({ platform: 'telegram', kind: 'timeout', count: 1 });
    expect(await impatient.send(to, { type: 'text', text: 'Привет' }, { messageId: nextId() })).toMatchObject(
      {
        ok: false,
        failure: { kind: 'retryable' },
      },
    );
  });
});

describe('telegram outbound: answering a button press', () => {
  it('answers the callback query named in the event key; a repeated answer, refused by Telegram, does not throw', async () => {
    const { user, to } = await newUser();
    const sent = await adapter.send(
      to,
      { type: 'text', text: 'Подтвердите', buttons: [{ kind: 'callback', label: 'Да', payload: 'yes:7' }] },
      { messageId: nextId() },
    );
    if (!sent.ok) throw new Error('send failed');
    await setup.control.pressButton(user.id, {
      platform: 'telegram',
      messageId: sent.externalMessageId,
      button: 'Да',
    });
    const press = setup.receiver.events.find(
      (event) => event.type === 'button-press' && event.payload === 'yes:7',
    );
    if (press?.type !== 'button-press') throw new Error('no button press');
    expect(press).toMatchObject({
      externalMessageId: sent.externalMessageId,
      conversationId: to.kind === 'user' ? to.externalUserId : '',
    });
    const before = await requestCount();
    await adapter.acknowledgeButton?.(press);
    await adapter.acknowledgeButton?.(press);
    const answers = await requestsSince(before);
    expect(answers.map((entry) => entry.body)).toEqual([
      { callback_query_id: press.eventKey.slice('cbq:'.length) },
      { callback_query_id: press.eventKey.slice('cbq:'.length) },
    ]);
  });
});
