import type { ChannelAdapter, Recipient } from '../../adapters/contract';
import { type WhatsappConfig, whatsappAdapter } from '../../adapters/whatsapp';
import {
  eventually,
  type SandboxControl,
  startTestSandbox,
  type TestSandbox,
} from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

interface Account {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  apiBaseUrl: string;
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('whatsapp: what the Cloud API receives, and what it answers', () => {
  let sandbox: TestSandbox;
  let control: SandboxControl;
  let receiver: WebhookReceiver;
  let account: Account;
  let adapter: ChannelAdapter;
  let anna: { id: string; recipient: Recipient; waId: string };
  let sequence = 0;
  const options = () => ({ messageId: `msg-wa-${++sequence}` });

  const build = (overrides: Partial<WhatsappConfig> = {}, webhookUrl = receiver.url): ChannelAdapter =>
    whatsappAdapter.create(
      whatsappAdapter.configSchema.parse({
        phoneNumberId: account.phoneNumberId,
        wabaId: account.wabaId,
        accessToken: account.accessToken,
        appSecret: account.appSecret,
        apiBaseUrl: account.apiBaseUrl,
        ...overrides,
      }),
      {
        logger: silent,
        webhook: { url: webhookUrl, key: receiver.key },
        emit: receiver.emit,
        requestTimeoutMs: 2_000,
      },
    );
  const lastRequest = async () => (await control.requests('whatsapp')).at(-1);
  const graph = (method: string, path: string, body?: unknown, token = account.accessToken) =>
    fetch(`${account.apiBaseUrl}/v23.0/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const waitFor: WebhookReceiver['waitFor'] = (type, matches) => receiver.waitFor(type, matches);
  const newUser = async (phone: string, reachable: boolean) => {
    const user = await control.createUser({ phone, name: 'Пётр', accounts: { whatsapp: { reachable } } });
    const waId = user.accounts.whatsapp?.id ?? '';
    return { id: user.id, recipient: { kind: 'user' as const, externalUserId: waId }, waId };
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox('whatsapp-outbound');
    control = sandbox.control;
    receiver = new WebhookReceiver();
    await receiver.start();
    account = await control.createAccount<Account>('whatsapp', { templateReviewMs: 50 });
    adapter = build();
    receiver.adapter = adapter;
    await adapter.connect();
    anna = await newUser('+79160000001', true);
  });
  afterAll(async () => {
    await receiver?.close();
    await sandbox?.close();
  });
  afterEach(() => control.clearFaults());

  it('connect() subscribes the WABA with a callback override that Meta verifies first', async () => {
    const requests = await control.requests('whatsapp');
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: `/v23.0/${account.wabaId}/subscribed_apps`,
      body: { override_callback_uri: receiver.url, verify_token: receiver.key },
    });
    const verification = receiver.requests.find((request) => request.method === 'GET');
    expect(verification?.query).toMatchObject({ 'hub.mode': 'subscribe', 'hub.verify_token': receiver.key });
  });

  it('connect() fails when the callback does not echo the challenge for its verify token', async () => {
    const stranger = build({ verifyToken: 'not-the-receivers-token' });
    expect(await stranger.connect()).toMatchObject({ webhook: 'failed' });
  });

  it('sends text as type text, quoting with context.message_id', async () => {
    const result = await adapter.send(
      anna.recipient,
      { type: 'text', text: 'Заказ №1042 в пути' },
      {
        messageId: 'msg-text-1',
        replyToExternalId: 'wamid.quoted',
      },
    );
    expect(result.ok).toBe(true);
    expect(await lastRequest()).toEqual({
      platform: 'whatsapp',
      method: 'POST',
      path: `/v23.0/${account.phoneNumberId}/messages`,
      contentType: 'application/json',
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: anna.waId,
        context: { message_id: 'wamid.quoted' },
        biz_opaque_callback_data: 'msg-text-1',
        type: 'text',
        text: { body: 'Заказ №1042 в пути', preview_url: false },
      },
      at: expect.any(String),
    });
  });

  it('sends buttons as an interactive reply-button message', async () => {
    const buttons = [
      { kind: 'reply' as const, label: 'Да', payload: 'confirm' },
      { kind: 'reply' as const, label: 'Нет', payload: 'deny' },
    ];
    const result = await adapter.send(
      anna.recipient,
      { type: 'text', text: 'Подтвердите', buttons },
      options(),
    );
    expect(result.ok).toBe(true);
    expect((await lastRequest())?.body).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Подтвердите' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'confirm', title: 'Да' } },
            { type: 'reply', reply: { id: 'deny', title: 'Нет' } },
          ],
        },
      },
    });
  });

  it('uploads an image (multipart) and sends it by media id with the text as caption', async () => {
    const data = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//', 'base64');
    const image = { mimeType: 'image/jpeg', fileName: 'check.jpg', data };
    const result = await adapter.send(
      anna.recipient,
      { type: 'text', text: 'Ваш чек', images: [image] },
      options(),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const [upload, message] = (await control.requests('whatsapp')).slice(-2);
    expect(upload).toMatchObject({
      method: 'POST',
      path: `/v23.0/${account.phoneNumberId}/media`,
      body: { bytes: expect.any(Number) },
    });
    expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(message?.body).toMatchObject({
      type: 'image',
      image: { id: expect.stringMatching(/^\d+$/), caption: 'Ваш чек' },
    });
    const received = (await control.received(anna.id, 'whatsapp')).find(
      (entry) => entry.messageId === result.externalMessageId,
    );
    expect(received?.images).toEqual([{ mimeType: 'image/jpeg', size: data.length }]);
  });

  it('submits a template, which Meta approves after review, then sends it with its parameters', async () => {
    const templates = adapter.templates;
    if (!templates) throw new Error('templates expected');
    const submitted = await templates.submit({
      name: 'order_shipped',
      text: 'Заказ {{1}} передан в доставку, курьер {{2}} позвонит.',
      language: 'ru',
      category: 'utility',
    });
    expect(submitted).toEqual({ ok: true, status: 'pending' });
    expect((await lastRequest())?.body).toEqual({
      name: 'order_shipped',
      language: 'ru',
      category: 'UTILITY',
      components: [
        {
          type: 'BODY',
          text: 'Заказ {{1}} передан в доставку, курьер {{2}} позвонит.',
          example: { body_text: [['example 1', 'example 2']] },
        },
      ],
    });
    await eventually(
      async () => ((await templates.status('order_shipped'))?.status === 'approved' ? true : undefined),
      'approval',
    );
    const result = await adapter.send(
      anna.recipient,
      {
        type: 'template',
        template: 'order_shipped',
        language: 'ru',
        params: { '1': '№1042', '2': 'Иван' },
        text: 'rendered',
      },
      options(),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect((await lastRequest())?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'ru' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '№1042' },
              { type: 'text', text: 'Иван' },
            ],
          },
        ],
      },
    });
    const received = (await control.received(anna.id, 'whatsapp')).find(
      (entry) => entry.messageId === result.externalMessageId,
    );
    expect(received?.text).toBe('Заказ №1042 передан в доставку, курьер Иван позвонит.');
  });

  it('rejects a template whose body starts with a variable', async () => {
    const templates = adapter.templates;
    if (!templates) throw new Error('templates expected');
    expect(
      await templates.submit({ name: 'greeting', text: '{{1}}, ваш заказ готов к выдаче', language: 'ru' }),
    ).toEqual({ ok: true, status: 'pending' });
    const verdict = await eventually(async () => {
      const status = await templates.status('greeting');
      return status?.status === 'pending' ? undefined : status;
    }, 'a verdict');
    expect(verdict).toEqual({ status: 'rejected', reason: 'INVALID_FORMAT' });
  });

  it('maps template errors: unknown template → template-not-approved, wrong parameter count → content-invalid', async () => {
    const unknown = await adapter.send(
      anna.recipient,
      { type: 'template', template: 'no_such', params: {}, text: 'rendered' },
      options(),
    );
    expect(unknown).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'template-not-approved', code: 132001 },
    });
    const short = await adapter.send(
      anna.recipient,
      {
        type: 'template',
        template: 'order_shipped',
        language: 'ru',
        params: { '1': '№1042' },
        text: 'rendered',
      },
      options(),
    );
    expect(short).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'content-invalid', code: 132000 },
    });
  });

  it('outside the 24-hour window accepts free text, then reports it failed with 131047; templates still go', async () => {
    const quiet = await newUser('+79160000002', false);
    const result = await adapter.send(quiet.recipient, { type: 'text', text: 'Есть новости' }, options());
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const failed = await waitFor(
      'status-update',
      (event) => event.externalMessageId === result.externalMessageId,
    );
    expect(failed).toMatchObject({ status: 'undelivered', reason: expect.stringContaining('131047') });
    expect(await control.received(quiet.id, 'whatsapp')).toEqual([]);
    const template = await adapter.send(
      quiet.recipient,
      {
        type: 'template',
        template: 'order_shipped',
        language: 'ru',
        params: { '1': '№7', '2': 'Олег' },
        text: 'rendered',
      },
      options(),
    );
    if (!template.ok) throw new Error(JSON.stringify(template.failure));
    await waitFor(
      'status-update',
      (event) => event.externalMessageId === template.externalMessageId && event.status === 'delivered',
    );
  });

  it('the window closes 24 hours after the user last wrote', async () => {
    const user = await newUser('+79160000003', true);
    await control.advanceClock(24 * 3_600_000 + 1_000);
    const result = await adapter.send(user.recipient, { type: 'text', text: 'Спустя сутки' }, options());
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    await waitFor(
      'status-update',
      (event) => event.externalMessageId === result.externalMessageId && event.status === 'undelivered',
    );
    await control.userMessage(user.id, { platform: 'whatsapp', text: 'Я снова здесь' });
    const reopened = await adapter.send(user.recipient, { type: 'text', text: 'Ответ' }, options());
    if (!reopened.ok) throw new Error(JSON.stringify(reopened.failure));
    await waitFor(
      'status-update',
      (event) => event.externalMessageId === reopened.externalMessageId && event.status === 'delivered',
    );
  });

  it('reports a number without WhatsApp as undelivered with 131026', async () => {
    const result = await adapter.send(
      { kind: 'phone', phone: '+79169999999' },
      { type: 'text', text: 'Привет' },
      options(),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect((await lastRequest())?.body).toMatchObject({ to: '79169999999' });
    const failed = await waitFor(
      'status-update',
      (event) => event.externalMessageId === result.externalMessageId,
    );
    expect(failed.reason).toContain('131026');
  });

  it('maps a bad token to a permanent auth failure (190)', async () => {
    const stale = build({ accessToken: 'EAAGexpired' });
    expect(await stale.send(anna.recipient, { type: 'text', text: 'x' }, options())).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'auth', code: 190 },
    });
  });

  it('maps the throughput limit (400, code 130429) to rate-limited with the fixed delay', async () => {
    await control.addFault({ platform: 'whatsapp', kind: 'rate-limit', retryAfterSeconds: 7, count: 1 });
    expect(await adapter.send(anna.recipient, { type: 'text', text: 'x' }, options())).toMatchObject({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: 1_000, code: 130429 },
    });
  });

  it('enforces the Cloud API limits with its own errors', async () => {
    const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: anna.waId };
    const reply = (title: string, id = title) => ({ type: 'reply', reply: { id, title } });
    const send = async (body: object) => {
      const response = await graph('POST', `${account.phoneNumberId}/messages`, { ...base, ...body });
      return {
        status: response.status,
        error: ((await response.json()) as { error?: { code: number } }).error,
      };
    };
    const interactive = (buttons: object[]) => ({
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Выберите' }, action: { buttons } },
    });
    expect(await send(interactive([reply('1'), reply('2'), reply('3'), reply('4')]))).toMatchObject({
      status: 400,
      error: { code: 131009 },
    });
    expect(await send(interactive([reply('я'.repeat(21))]))).toMatchObject({
      status: 400,
      error: { code: 131009 },
    });
    expect(await send({ type: 'text', text: { body: 'я'.repeat(4097) } })).toMatchObject({
      status: 400,
      error: { code: 100 },
    });
    expect(await send({ type: 'text', text: { body: 'я'.repeat(4096) } })).toMatchObject({ status: 200 });
    const noToken = await graph(
      'POST',
      `${account.phoneNumberId}/messages`,
      { ...base, type: 'text', text: { body: 'x' } },
      'bad',
    );
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
  });

  it('refuses a 1025-character body with buttons before any request', async () => {
    const before = (await control.requests('whatsapp')).length;
    const buttons = [{ kind: 'reply' as const, label: 'Ок', payload: 'ok' }];
    expect(
      await adapter.send(anna.recipient, { type: 'text', text: 'я'.repeat(1025), buttons }, options()),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'content-too-long', code: 'interactive.body.maxLength' },
    });
    expect((await control.requests('whatsapp')).length).toBe(before);
  });

  it('downloads a photo the user sent: the bytes they sent, via an expiring URL that needs the token', async () => {
    const bytes = Buffer.from('a photo of a broken parcel');
    await control.userMessage(anna.id, {
      platform: 'whatsapp',
      text: 'Посылка повреждена',
      attachment: { kind: 'photo', mimeType: 'image/jpeg', contentBase64: bytes.toString('base64') },
    });
    const event = await waitFor('inbound-message', (candidate) => candidate.text === 'Посылка повреждена');
    const attachment = event.attachments[0];
    if (!attachment || !('fileRef' in attachment)) throw new Error('no file attachment');
    expect(attachment).toMatchObject({ kind: 'photo', mimeType: 'image/jpeg' });
    const downloaded = await adapter.downloadAttachment?.(attachment.fileRef, 1_000_000);
    expect(downloaded).toEqual({ ok: true, file: { data: bytes, mimeType: 'image/jpeg' } });
    expect(await adapter.downloadAttachment?.(attachment.fileRef, 5)).toMatchObject({
      ok: false,
      reason: 'too-large',
    });
    const info = (await (await graph('GET', attachment.fileRef)).json()) as {
      url: string;
      file_size: string;
    };
    expect(info.file_size).toBe(String(bytes.length));
    expect((await fetch(info.url)).status).toBe(401);
    expect(
      (await fetch(info.url, { headers: { authorization: `Bearer ${account.accessToken}` } })).status,
    ).toBe(200);
    await control.advanceClock(6 * 60_000);
    expect(
      (await fetch(info.url, { headers: { authorization: `Bearer ${account.accessToken}` } })).status,
    ).toBe(403);
  });

  it('delivers a voice note with text as two events of one notification', async () => {
    const before = receiver.requests.length;
    await control.userMessage(anna.id, {
      platform: 'whatsapp',
      text: 'Расшифровка: перезвоните',
      attachment: { kind: 'voice' },
    });
    const text = await waitFor('inbound-message', (event) => event.text === 'Расшифровка: перезвоните');
    const voice = receiver.events.find(
      (event) => event.type === 'inbound-message' && event.attachments[0]?.kind === 'voice',
    );
    expect(voice).toMatchObject({ from: { externalUserId: anna.waId, name: 'Пётр' } });
    expect(text.eventKey).not.toBe(voice?.eventKey);
    expect(receiver.requests.length - before).toBe(1);
  });

  it('maps a template quick-reply tap to a button press with the payload set at send time', async () => {
    const created = await graph('POST', `${account.wabaId}/message_templates`, {
      name: 'delivery_slot',
      language: 'ru',
      category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Курьер приедет {{1}}. Удобно?' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Да' },
            { type: 'QUICK_REPLY', text: 'Перенести' },
          ],
        },
      ],
    });
    expect(await created.json()).toMatchObject({ status: 'PENDING', category: 'UTILITY' });
    await eventually(
      async () =>
        (await adapter.templates?.status('delivery_slot'))?.status === 'approved' ? true : undefined,
      'approval',
    );
    const result = await adapter.send(
      anna.recipient,
      {
        type: 'template',
        template: 'delivery_slot',
        language: 'ru',
        params: { '1': 'завтра в 10:00' },
        text: 'rendered',
        buttons: [
          { kind: 'reply', label: 'Да', payload: 'slot-ok-1042' },
          { kind: 'reply', label: 'Перенести', payload: 'slot-move-1042' },
        ],
      },
      options(),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect((await lastRequest())?.body).toMatchObject({
      template: {
        components: [
          { type: 'body' },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'slot-ok-1042' }],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '1',
            parameters: [{ type: 'payload', payload: 'slot-move-1042' }],
          },
        ],
      },
    });
    await control.pressButton(anna.id, {
      platform: 'whatsapp',
      messageId: result.externalMessageId,
      button: 'Перенести',
    });
    const pressed = await waitFor('button-press', (event) => event.payload === 'slot-move-1042');
    expect(pressed.externalMessageId).toBe(result.externalMessageId);
  });

  it('verifies the callback given at account creation with the GET handshake', async () => {
    const verifying = build({ verifyToken: 'dashboard-token-1' });
    receiver.adapter = verifying;
    try {
      await expect(
        control.createAccount('whatsapp', { callbackUrl: receiver.url, verifyToken: 'dashboard-token-1' }),
      ).resolves.toMatchObject({ phoneNumberId: expect.any(String) });
      await expect(
        control.createAccount('whatsapp', { callbackUrl: receiver.url, verifyToken: 'wrong-token' }),
      ).rejects.toThrow(/422.*callback verification failed/);
    } finally {
      receiver.adapter = adapter;
    }
  });
});
