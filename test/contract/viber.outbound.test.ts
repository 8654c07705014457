import { createHmac } from 'node:crypto';
import pino from 'pino';
import type { ChannelAdapter, SendResult } from '../../adapters/contract';
import { viberAdapter } from '../../adapters/viber';
import { viberEventTypes } from '../../adapters/viber/bot-client';
import { viberRateLimitDelayMs } from '../../adapters/viber/error-mapping';
import { eventually, type SandboxUser, startTestSandbox, type TestSandbox } from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

/** What Viber's send_message / set_webhook receive from viber-bot, and how the adapter reads the answers. */
describe('viber: outbound requests and error mapping', () => {
  let sandbox: TestSandbox;
  let receiver: WebhookReceiver;
  let adapter: ChannelAdapter;
  let authToken: string;
  let botUri: string;
  let apiBase: string;
  let phoneSequence = 1000;

  const makeAdapter = (token: string, options: { base?: string; timeoutMs?: number } = {}): ChannelAdapter =>
    viberAdapter.create(
      viberAdapter.configSchema.parse({
        authToken: token,
        botName: 'Vestnik',
        apiBaseUrl: options.base ?? apiBase,
      }),
      {
        logger: pino({ level: 'silent' }),
        webhook: { url: receiver.url, key: receiver.key },
        emit: receiver.emit,
        requestTimeoutMs: options.timeoutMs ?? 2_000,
      },
    );
  const newUser = (viber: Record<string, unknown> | true = true): Promise<SandboxUser> =>
    sandbox.control.createUser({ phone: `+7916123${++phoneSequence}`, name: 'Борис', accounts: { viber } });
  const viberIdOf = (user: SandboxUser): string => user.accounts.viber?.id ?? '';
  const sendTo = (
    target: ChannelAdapter,
    externalUserId: string,
    text = 'Заказ №1042 в пути',
  ): Promise<SendResult> =>
    target.send({ kind: 'user', externalUserId }, { type: 'text', text }, { messageId: `m-${Date.now()}` });
  const lastRequest = async (path: string) =>
    (await sandbox.control.requests('viber')).filter((r) => r.path === path).at(-1);
  const rawApi = async (path: string, body: unknown, token = authToken): Promise<string> => {
    const response = await fetch(`${apiBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Viber-Auth-Token': token },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox('viber-outbound');
    apiBase = `${sandbox.sandbox.url}/viber/pa`;
    receiver = new WebhookReceiver();
    await receiver.start();
    ({ authToken, uri: botUri } = await sandbox.control.createAccount<{ authToken: string; uri: string }>(
      'viber',
      { name: 'Outbound Bot' },
    ));
    adapter = makeAdapter(authToken);
    receiver.adapter = adapter;
    expect(await adapter.connect()).toEqual({ webhook: 'registered' });
  });
  afterAll(async () => {
    await receiver?.close();
    await sandbox?.close();
  });
  afterEach(() => sandbox.control.clearFaults());

  it('registers the webhook with set_webhook after Viber checked it with a signed call', async () => {
    expect(await lastRequest('/pa/set_webhook')).toMatchObject({
      method: 'POST',
      body: { auth_token: authToken, url: receiver.url, event_types: viberEventTypes },
    });
    const { callbacks } = await sandbox.control.call<{
      callbacks: Array<{ body: string; headers: Record<string, string>; status: number }>;
    }>('GET', '/callbacks?platform=viber');
    const check = callbacks.find((callback) => callback.body.includes('"event":"webhook"'));
    expect(check?.status).toBe(200);
    expect(check?.headers['X-Viber-Content-Signature']).toBe(
      createHmac('sha256', authToken)
        .update(check?.body ?? '')
        .digest('hex'),
    );
  });

  it('sends text as viber-bot builds it: auth token, sender, empty tracking data, no keyboard', async () => {
    const user = await newUser();
    const result = await sendTo(adapter, viberIdOf(user), 'Ваш заказ №1042 передан в доставку');
    expect(result.ok).toBe(true);
    expect(await lastRequest('/pa/send_message')).toEqual({
      platform: 'viber',
      method: 'POST',
      path: '/pa/send_message',
      contentType: 'application/json',
      body: {
        auth_token: authToken,
        sender: { name: 'Vestnik' },
        tracking_data: '""',
        keyboard: null,
        min_api_version: 1,
        receiver: viberIdOf(user),
        type: 'text',
        text: 'Ваш заказ №1042 передан в доставку',
      },
      at: expect.any(String),
    });
  });

  it('sends buttons as a keyboard and lists reply payloads in tracking_data', async () => {
    const user = await newUser();
    const result = await adapter.send(
      { kind: 'user', externalUserId: viberIdOf(user) },
      {
        type: 'text',
        text: 'Подтвердите доставку',
        buttons: [
          { kind: 'reply', label: 'Да', payload: 'confirm' },
          { kind: 'link', label: 'Заказ', url: 'https://shop.example/orders/1042' },
        ],
      },
      { messageId: 'm-buttons' },
    );
    expect(result.ok).toBe(true);
    expect((await lastRequest('/pa/send_message'))?.body).toMatchObject({
      tracking_data: '{"replyButtons":["confirm"]}',
      keyboard: {
        Type: 'keyboard',
        DefaultHeight: false,
        Buttons: [
          { Columns: 6, Rows: 1, ActionType: 'reply', ActionBody: 'confirm', Text: 'Да' },
          {
            Columns: 6,
            Rows: 1,
            ActionType: 'open-url',
            ActionBody: 'https://shop.example/orders/1042',
            Text: 'Заказ',
          },
        ],
      },
    });
  });

  it('keeps the 64-bit message_token exact from the raw answer to the delivery receipt', async () => {
    const user = await newUser();
    const text = await rawApi('/send_message', {
      receiver: viberIdOf(user),
      type: 'text',
      text: 'raw',
      sender: { name: 'Vestnik' },
    });
    const wireToken = /"message_token":(\d+)[,}]/.exec(text)?.[1] ?? '';
    expect(BigInt(wireToken) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(String((JSON.parse(text) as { message_token: number }).message_token)).not.toBe(wireToken);

    const result = await sendTo(adapter, viberIdOf(user));
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect(result.externalMessageId).toMatch(/^\d{19}$/);
    const received = await sandbox.control.received(user.id, 'viber');
    expect(received.at(-1)?.messageId).toBe(result.externalMessageId);
    await eventually(
      () =>
        receiver.events.find(
          (event) =>
            event.type === 'status-update' &&
            event.status === 'delivered' &&
            event.externalMessageId === result.externalMessageId,
        ),
      'the delivered receipt with the exact token',
    );
  });

  it('maps Viber statuses the simulator answers to typed failures', async () => {
    expect(await sendTo(adapter, 'NoSuchViberUser0000000==')).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'no-account', code: 5 },
    });
    const unsubscribed = await newUser({ reachable: false });
    expect(await sendTo(adapter, viberIdOf(unsubscribed))).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'not-allowed', code: 6 },
    });
    const subscribed = await newUser();
    expect(
      await sendTo(makeAdapter('0000000000000000-0000000000000000-0000000000000000'), viberIdOf(subscribed)),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'auth', code: 2 },
    });
    const idle = await sandbox.control.createAccount<{ authToken: string }>('viber', {
      name: 'No Webhook Bot',
    });
    expect(await sendTo(makeAdapter(idle.authToken), viberIdOf(subscribed))).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'rejected', code: 10 },
    });
  });

  it('reports a message to a user who blocked the bot as undelivered, from the failed callback', async () => {
    const blocked = await newUser({ blocked: true });
    const result = await sendTo(adapter, viberIdOf(blocked));
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const failed = await eventually(
      () =>
        receiver.events.find(
          (event) => event.type === 'status-update' && event.externalMessageId === result.externalMessageId,
        ),
      'a failed callback',
    );
    expect(failed).toMatchObject({ status: 'undelivered', reason: 'receiver blocked the bot' });
    expect(await sandbox.control.received(blocked.id, 'viber')).toEqual([]);
  });

  it('answers the 101st unanswered message in an hour with status 12, until the user writes', async () => {
    const user = await newUser();
    for (let i = 0; i < 100; i += 1) expect((await sendTo(adapter, viberIdOf(user), `№${i}`)).ok).toBe(true);
    expect(await sendTo(adapter, viberIdOf(user))).toEqual({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: viberRateLimitDelayMs, code: 12 },
    });
    await sandbox.control.userMessage(user.id, { platform: 'viber', text: 'Я здесь', to: botUri });
    expect((await sendTo(adapter, viberIdOf(user))).ok).toBe(true);
  });

  it('answers the rate-limit fault as Viber does: HTTP 200, status 12, a bare 64-bit token', async () => {
    await sandbox.control.addFault({ platform: 'viber', kind: 'rate-limit', retryAfterSeconds: 7, count: 1 });
    const text = await rawApi('/send_message', {});
    expect(text).toMatch(
      /^\{"status":12,"status_message":"Too many requests","message_token":\d{19},"chat_hostname":"SN-CHAT-05_"\}$/,
    );
  });

  it('refuses recipients that are not Viber ids, with no request', async () => {
    const before = (await sandbox.control.requests('viber')).length;
    const result = await adapter.send(
      { kind: 'phone', phone: '+79161234567' },
      { type: 'text', text: 'x' },
      { messageId: 'm' },
    );
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason: 'recipient-invalid' } });
    expect((await sandbox.control.requests('viber')).length).toBe(before);
  });

  it("refuses a message over Viber's 30 KB size before any request", async () => {
    const before = (await sandbox.control.requests('viber')).length;
    const buttons = Array.from({ length: 24 }, (_, i) => ({
      kind: 'reply' as const,
      label: 'ж'.repeat(250),
      payload: `p${i}`,
    }));
    const result = await adapter.send(
      { kind: 'user', externalUserId: 'anyone' },
      { type: 'text', text: '😀'.repeat(7000), buttons },
      { messageId: 'm-big' },
    );
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'content-invalid', code: 'message.maxBytes' },
    });
    expect((await sandbox.control.requests('viber')).length).toBe(before);
  });

  it('reports a refused connection and a timeout as retryable', async () => {
    const user = await newUser();
    expect(
      await sendTo(makeAdapter(authToken, { base: 'http://127.0.0.1:9/viber/pa' }), viberIdOf(user)),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: expect.stringContaining('network error') },
    });
    await sandbox.control.addFault({ platform: 'viber', kind: 'timeout', count: 1 });
    expect(await sendTo(makeAdapter(authToken, { timeoutMs: 300 }), viberIdOf(user))).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: 'timed out after 300 ms' },
    });
  });

  it.each([
    ['text over 7000 characters', 3, { text: 'я'.repeat(7001) }],
    [
      '25 keyboard buttons',
      3,
      { keyboard: { Buttons: Array.from({ length: 25 }, () => ({ ActionBody: 'a', Text: 'a' })) } },
    ],
    [
      'a button label over 250 characters',
      3,
      { keyboard: { Buttons: [{ ActionBody: 'a', Text: 'я'.repeat(251) }] } },
    ],
    ['a sender name over 28 characters', 3, { sender: { name: 'я'.repeat(29) } }],
    [
      'a body over 30 KB',
      3,
      {
        text: 'ж'.repeat(6000),
        keyboard: { Buttons: Array.from({ length: 24 }, () => ({ ActionBody: 'ж'.repeat(400) })) },
      },
    ],
    ['an unknown message type', 3, { type: 'hologram' }],
    ['no receiver', 4, { receiver: undefined }],
  ])('the simulator answers %s with status %i', async (_case, status, override) => {
    const user = await newUser();
    const body = {
      receiver: viberIdOf(user),
      type: 'text',
      text: 'ok',
      sender: { name: 'Vestnik' },
      ...override,
    };
    expect(JSON.parse(await rawApi('/send_message', body))).toMatchObject({ status });
  });

  it('answers a wrong auth token with status 2 and HTTP 200, like Viber', async () => {
    expect(JSON.parse(await rawApi('/get_account_info', {}, 'wrong-token'))).toEqual({
      status: 2,
      status_message: 'invalidAuthToken',
    });
    expect(JSON.parse(await rawApi('/get_account_info', {}))).toMatchObject({
      status: 0,
      webhook: receiver.url,
      event_types: ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'],
    });
  });

  it('removes the webhook on disconnect, after which sends fail with webhookNotSet', async () => {
    const bot = await sandbox.control.createAccount<{ authToken: string }>('viber', {
      name: 'Short-lived Bot',
    });
    const shortLived = makeAdapter(bot.authToken);
    const previous = receiver.adapter;
    receiver.adapter = shortLived;
    expect(await shortLived.connect()).toEqual({ webhook: 'registered' });
    receiver.adapter = previous;
    await shortLived.disconnect?.();
    expect((await lastRequest('/pa/set_webhook'))?.body).toMatchObject({
      auth_token: bot.authToken,
      url: '',
    });
    const user = await newUser();
    expect(await sendTo(shortLived, viberIdOf(user))).toMatchObject({ ok: false, failure: { code: 10 } });
  });
});
