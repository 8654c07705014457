import type { AdapterLogger, ChannelAdapter, Recipient } from '../../adapters/contract';
import { okAdapter } from '../../adapters/ok';
import { type SandboxControl, startTestSandbox, type TestSandbox } from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

const silentLogger: AdapterLogger = { debug() {}, info() {}, warn() {}, error() {} };

interface OkChatList {
  chats: Array<{ chat_id: string; participants: Record<string, number> }>;
}

describe('ok: exact requests, OK errors, webhooks and files', () => {
  let sandbox: TestSandbox;
  let control: SandboxControl;
  let receiver: WebhookReceiver;
  let adapter: ChannelAdapter;
  let apiBaseUrl: string;
  let accessToken: string;
  let sequence = 0;
  const options = () => ({ messageId: `ok-outbound-${++sequence}` });

  const createAdapter = (overrides: Record<string, unknown> = {}, timeoutMs = 5_000): ChannelAdapter =>
    okAdapter.create(okAdapter.configSchema.parse({ accessToken, apiBaseUrl, ...overrides }), {
      logger: silentLogger,
      webhook: { url: receiver.url, key: receiver.key },
      emit: receiver.emit,
      requestTimeoutMs: timeoutMs,
    });

  const graph = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${apiBaseUrl}${path}${separator}access_token=${encodeURIComponent(accessToken)}`;
    return (await (await fetch(url, init)).json()) as T;
  };

  const dialogOf = async (okUserId: string): Promise<string | undefined> => {
    const { chats } = await graph<OkChatList>('/graph/me/chats');
    return chats.find((chat) => `user:${okUserId}` in chat.participants)?.chat_id;
  };

  const newRecipient = async (phone: string, account: Record<string, unknown> | true = true) => {
    const user = await control.createUser({ phone, name: 'Олег', accounts: { ok: account } });
    const chatId = (await dialogOf(user.accounts.ok?.id ?? '')) ?? '';
    const recipient: Recipient = { kind: 'user', externalUserId: chatId };
    return { user, chatId, recipient };
  };

  const lastRequest = async () => (await control.requests('ok')).at(-1);
  const waitForMessage = (text: string) =>
    receiver.waitFor('inbound-message', (event) => event.text === text);

  beforeAll(async () => {
    sandbox = await startTestSandbox('ok-outbound');
    control = sandbox.control;
    receiver = new WebhookReceiver();
    await receiver.start();
    ({ accessToken } = await control.createAccount<{ accessToken: string }>('ok', { name: 'Пекарня' }));
    apiBaseUrl = `${sandbox.sandbox.url}/ok`;
    adapter = createAdapter();
    receiver.adapter = adapter;
    expect(await adapter.connect()).toEqual({ webhook: 'registered' });
  });
  afterAll(async () => {
    await receiver?.close();
    await sandbox?.close();
  });
  afterEach(() => control.clearFaults());

  describe('outbound requests', () => {
    it('sends text as POST /graph/me/messages/{chat_id} with the token in the query', async () => {
      const { user, chatId, recipient } = await newRecipient('+79160000001');
      const result = await adapter.send(recipient, { type: 'text', text: 'Заказ готов' }, options());
      expect(result).toMatchObject({
        ok: true,
        externalMessageId: expect.stringMatching(/^mid:C[0-9a-f]{12}\.[0-9a-f]{15}$/),
      });
      expect(await lastRequest()).toEqual({
        at: expect.any(String),
        platform: 'ok',
        method: 'POST',
        path: `/graph/me/messages/${chatId}?access_token=${encodeURIComponent(accessToken)}`,
        contentType: 'application/json;charset=utf-8',
        body: { recipient: { chat_id: chatId }, message: { text: 'Заказ готов' } },
      });
      const [received] = await control.received(user.id, 'ok');
      expect(received).toMatchObject({ via: 'chat', text: 'Заказ готов', buttons: [] });
    });

    it('sends callback and link buttons as an INLINE_KEYBOARD, one per row', async () => {
      const { user, recipient } = await newRecipient('+79160000002');
      const result = await adapter.send(
        recipient,
        {
          type: 'text',
          text: 'Оплатить заказ?',
          buttons: [
            { kind: 'callback', label: 'Оплатить', payload: 'pay:1042' },
            { kind: 'link', label: 'Чек', url: 'https://shop.example/r/1042' },
          ],
        },
        options(),
      );
      expect(result.ok).toBe(true);
      expect((await lastRequest())?.body).toEqual({
        recipient: { chat_id: recipient.kind === 'user' ? recipient.externalUserId : '' },
        message: {
          text: 'Оплатить заказ?',
          attachment: {
            type: 'INLINE_KEYBOARD',
            payload: {
              keyboard: {
                buttons: [
                  [{ type: 'CALLBACK', text: 'Оплатить', intent: 'DEFAULT', payload: 'pay:1042' }],
                  [{ type: 'LINK', text: 'Чек', url: 'https://shop.example/r/1042' }],
                ],
              },
            },
          },
        },
      });
      const [received] = await control.received(user.id, 'ok');
      expect(received?.buttons).toEqual([
        { label: 'Оплатить', kind: 'callback', payload: 'pay:1042' },
        { label: 'Чек', kind: 'link', url: 'https://shop.example/r/1042' },
      ]);
      await expect(
        control.pressButton(user.id, { platform: 'ok', messageId: received?.messageId, button: 'Чек' }),
      ).rejects.toThrow(/422/);
    });

    it('answers a user message with message.reply_to', async () => {
      const { user, recipient } = await newRecipient('+79160000003');
      await control.userMessage(user.id, { platform: 'ok', text: 'Когда доставка?' });
      const question = await waitForMessage('Когда доставка?');
      const result = await adapter.send(
        recipient,
        { type: 'text', text: 'Завтра' },
        { ...options(), replyToExternalId: question.externalMessageId },
      );
      expect(result.ok).toBe(true);
      expect((await lastRequest())?.body).toMatchObject({
        message: { text: 'Завтра', reply_to: question.externalMessageId },
      });
      expect((await control.received(user.id, 'ok')).at(-1)?.replyTo).toBe(question.externalMessageId);
    });

    it('subscribes the keyed webhook URL on connect and unsubscribes it on disconnect', async () => {
      const keyed = `${receiver.url}?key=${encodeURIComponent(receiver.key)}`;
      const subscribed = (await control.requests('ok')).find((entry) =>
        entry.path.startsWith('/graph/me/subscribe'),
      );
      expect(subscribed).toMatchObject({ method: 'POST', body: { url: keyed } });
      const other = createAdapter();
      await other.disconnect?.();
      expect(await lastRequest()).toMatchObject({
        method: 'POST',
        path: expect.stringMatching(/^\/graph\/me\/unsubscribe\?access_token=/),
        body: { url: keyed },
      });
      expect(await graph<{ subscriptions: unknown[] }>('/graph/me/subscriptions')).toEqual({
        subscriptions: [],
      });
      expect(await adapter.connect()).toEqual({ webhook: 'registered' });
      expect(await graph('/graph/me/subscriptions')).toEqual({
        subscriptions: [{ url: keyed, time: expect.any(Number) }],
      });
    });
  });

  describe('OK errors', () => {
    it('maps CHAT_NOT_FOUND (705) for a chat the user never opened to not-allowed', async () => {
      const result = await adapter.send(
        { kind: 'user', externalUserId: 'chat:C000000000000' },
        { type: 'text', text: 'Привет' },
        options(),
      );
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'not-allowed', code: 705 },
      });
    });

    it('gives no dialog for a user who never wrote, until they write', async () => {
      const user = await control.createUser({
        phone: '+79160000004',
        accounts: { ok: { reachable: false } },
      });
      const okUserId = user.accounts.ok?.id ?? '';
      expect(await dialogOf(okUserId)).toBeUndefined();
      await control.userMessage(user.id, { platform: 'ok', text: 'Здравствуйте' });
      const event = await waitForMessage('Здравствуйте');
      expect(await dialogOf(okUserId)).toBe(event.conversationId);
    });

    it('maps PRIVACY_RESTRICTION (458) for a user who blocked the group to blocked', async () => {
      const { recipient } = await newRecipient('+79160000005', { blocked: true });
      const result = await adapter.send(recipient, { type: 'text', text: 'Акция' }, options());
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'blocked', code: 458 },
      });
    });

    it('maps PARAM_SESSION_EXPIRED (102) for a revoked token to auth, and connect reports it', async () => {
      const { recipient } = await newRecipient('+79160000006');
      const revoked = createAdapter({ accessToken: 'tkn1revoked:CQABPOJKAKEKEKEKE' });
      const result = await revoked.send(recipient, { type: 'text', text: 'Привет' }, options());
      expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason: 'auth', code: 102 } });
      expect(await revoked.connect()).toEqual({
        webhook: 'failed',
        detail: expect.stringContaining('expired'),
      });
    });

    it('refuses a recipient that is not a chat id before any request', async () => {
      const before = (await control.requests('ok')).length;
      const result = await adapter.send(
        { kind: 'user', externalUserId: 'user:123/../../subscribe' },
        { type: 'text', text: 'x' },
        options(),
      );
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'recipient-invalid' },
      });
      expect((await control.requests('ok')).length).toBe(before);
    });

    it('reports FLOOD_BLOCKED (8) as the OK body, 5xx HTML and timeouts as retryable', async () => {
      const { recipient } = await newRecipient('+79160000007');
      await control.addFault({ platform: 'ok', kind: 'rate-limit', count: 1 });
      const flood = await fetch(
        `${apiBaseUrl}/graph/me/info?access_token=${encodeURIComponent(accessToken)}`,
      );
      expect(flood.status).toBe(200);
      expect(await flood.json()).toEqual({
        error_code: 8,
        error_msg: 'FLOOD_BLOCKED : Flood detected, too many requests',
        error_data: null,
      });
      await control.addFault({ platform: 'ok', kind: 'server-error', status: 503, count: 1 });
      expect(await adapter.send(recipient, { type: 'text', text: 'a' }, options())).toMatchObject({
        ok: false,
        failure: { kind: 'retryable', code: 503 },
      });
      await control.addFault({ platform: 'ok', kind: 'timeout', count: 1 });
      const impatient = createAdapter({}, 200);
      expect(await impatient.send(recipient, { type: 'text', text: 'b' }, options())).toMatchObject({
        ok: false,
        failure: { kind: 'retryable', reason: expect.stringMatching(/timed out|timeout/i) },
      });
    });
  });

  describe('platform rules the simulator enforces', () => {
    const post = (chatId: string, message: unknown) =>
      graph<{ error_code?: number; error_msg?: string }>(`/graph/me/messages/${chatId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify({ recipient: { chat_id: chatId }, message }),
      });

    it('refuses text over 4000 characters, empty messages and oversized keyboards with PARAM (100)', async () => {
      const { chatId } = await newRecipient('+79160000008');
      const callback = (n: number) => ({ type: 'CALLBACK', text: `b${n}`, payload: `p${n}` });
      const keyboard = (rows: unknown[][]) => ({
        type: 'INLINE_KEYBOARD',
        payload: { keyboard: { buttons: rows } },
      });
      const refused = [
        { text: 'я'.repeat(4001) },
        { text: '' },
        { text: 'x', attachment: keyboard([Array.from({ length: 8 }, (_, n) => callback(n))]) },
        { text: 'x', attachment: keyboard(Array.from({ length: 31 }, (_, n) => [callback(n)])) },
        { text: 'x', attachment: keyboard([[{ type: 'CALLBACK', text: 'я'.repeat(129), payload: 'p' }]]) },
        { text: 'x', attachment: keyboard([[{ type: 'LINK', text: 'l', url: 'javascript:alert(1)' }]]) },
      ];
      for (const message of refused) expect(await post(chatId, message)).toMatchObject({ error_code: 100 });
      expect(await post(chatId, { text: 'я'.repeat(4000) })).toMatchObject({ success: true });
    });

    it('refuses a body whose recipient differs from the chat in the path', async () => {
      const { chatId } = await newRecipient('+79160000009');
      const answer = await graph(`/graph/me/messages/${chatId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ recipient: { chat_id: 'chat:Cffffffffffff' }, message: { text: 'x' } }),
      });
      expect(answer).toMatchObject({ error_code: 100 });
    });
  });

  describe('webhooks', () => {
    it('rejects a wrong key with 403, a malformed body with 400, and enforces the source allowlist', async () => {
      const { user } = await newRecipient('+79160000010');
      await control.userMessage(user.id, { platform: 'ok', text: 'Проверка ключа' });
      await waitForMessage('Проверка ключа');
      const genuine = receiver.requests.at(-1);
      if (!genuine) throw new Error('no webhook captured');
      expect(genuine.query.key).toBe(receiver.key);
      expect(await adapter.handleWebhook({ ...genuine, query: { key: 'guess' } })).toMatchObject({
        outcome: 'rejected',
        status: 403,
      });
      expect(await adapter.handleWebhook({ ...genuine, rawBody: Buffer.from('{"sender":') })).toMatchObject({
        outcome: 'rejected',
        status: 400,
      });
      const fenced = createAdapter({ allowedSourceIps: ['217.20.145.192/28'] });
      expect(await fenced.handleWebhook(genuine)).toMatchObject({ outcome: 'rejected', status: 403 });
      const local = createAdapter({ allowedSourceIps: ['127.0.0.0/8', '::1/128'] });
      expect(await local.handleWebhook(genuine)).toMatchObject({
        outcome: 'accepted',
        response: { status: 200 },
        events: [{ type: 'inbound-message', text: 'Проверка ключа' }],
      });
    });
  });

  describe('files users send', () => {
    it('downloads the bytes of a photo and a document the user sent, and refuses too large files', async () => {
      const { user } = await newRecipient('+79160000011');
      const bytes = Buffer.from('%PDF-1.4 sandbox invoice');
      await control.userMessage(user.id, {
        platform: 'ok',
        text: 'Счёт во вложении',
        attachment: {
          kind: 'document',
          fileName: 'invoice.pdf',
          mimeType: 'application/pdf',
          contentBase64: bytes.toString('base64'),
        },
      });
      const event = await waitForMessage('Счёт во вложении');
      const [file] = event.attachments;
      expect(file).toMatchObject({ kind: 'document', fileName: 'invoice.pdf', size: bytes.length });
      if (!file || !('fileRef' in file)) throw new Error('no file attachment');
      expect(await adapter.downloadAttachment?.(file.fileRef, 1_000_000)).toEqual({
        ok: true,
        file: { data: bytes, mimeType: 'application/pdf' },
      });
      expect(await adapter.downloadAttachment?.(file.fileRef, 5)).toMatchObject({
        ok: false,
        reason: 'too-large',
      });

      await control.userMessage(user.id, { platform: 'ok', text: 'Фото', attachment: { kind: 'photo' } });
      const photo = (await waitForMessage('Фото')).attachments[0];
      expect(photo).toMatchObject({ kind: 'photo' });
      if (!photo || !('fileRef' in photo)) throw new Error('no photo');
      const download = await adapter.downloadAttachment?.(photo.fileRef, 1_000_000);
      expect(download).toMatchObject({ ok: true, file: { mimeType: 'image/jpeg' } });
    });
  });
});
