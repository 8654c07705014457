import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelAdapter, Recipient } from '../../adapters/contract';
import { vkAdapter } from '../../adapters/vk';
import { mapVkError, vkRetryDelayMs } from '../../adapters/vk/error-mapping';
import { randomIdFor } from '../../adapters/vk/outbound-renderer';
import { sampleJpeg } from '../../src/sandbox/file-store';
import { type SandboxUser, startTestSandbox, type TestSandbox } from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';
import {
  createVkChannel,
  createVkRecipient,
  silentLogger,
  type VkCommunityAccount,
  vkSecretKey,
} from './vk.helpers';

let sandbox: TestSandbox;
let receiver: WebhookReceiver;
let adapter: ChannelAdapter;
let account: VkCommunityAccount;
let user: SandboxUser;
let recipient: Recipient;
let sequence = 0;
const nextId = (): string => `vk-out-${++sequence}`;

/** Calls the simulated VK API directly, as api.vk.com would be called. */
async function callVk(method: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`${account.apiBaseUrl}/${method}`, {
    method: 'POST',
    body: new URLSearchParams({ access_token: account.accessToken, v: '5.199', ...params }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const lastRequest = async (method: string) =>
  (await sandbox.control.requests('vk')).filter((entry) => entry.path === `/method/${method}`).at(-1);

const waitFor: WebhookReceiver['waitFor'] = (type, matches) => receiver.waitFor(type, matches);

beforeAll(async () => {
  sandbox = await startTestSandbox('vk-outbound');
  receiver = new WebhookReceiver();
  await receiver.start();
  ({ adapter, account } = await createVkChannel({ control: sandbox.control, receiver }, vkAdapter));
  ({ user, recipient } = await createVkRecipient(sandbox));
});
afterAll(async () => {
  await adapter?.close();
  await receiver?.close();
  await sandbox?.close();
});
afterEach(() => sandbox.control.clearFaults());

describe('vk: connect', () => {
  it('registers the Callback API server by API, with the URL key, and VK confirms it', async () => {
    const requests = await sandbox.control.requests('vk');
    const paths = requests.map((entry) => entry.path);
    expect(paths.slice(0, 4)).toEqual([
      '/method/groups.getCallbackServers',
      '/method/groups.addCallbackServer',
      '/method/groups.setCallbackSettings',
      '/method/groups.getCallbackServers',
    ]);
    expect(requests[1]?.body).toEqual({
      access_token: account.accessToken,
      v: '5.199',
      group_id: String(account.groupId),
      url: `${receiver.url}?key=${receiver.key}`,
      title: 'Vestnik',
      secret_key: vkSecretKey,
    });
    expect(requests[2]?.body).toMatchObject({
      api_version: '5.199',
      message_new: '1',
      message_event: '1',
      message_read: '1',
      message_allow: '1',
      message_deny: '1',
    });
    const confirmation = (
      await sandbox.control.call<{ callbacks: Array<{ body: string; response: string }> }>(
        'GET',
        '/callbacks?platform=vk',
      )
    ).callbacks[0];
    expect(JSON.parse(confirmation?.body ?? '{}')).toEqual({
      type: 'confirmation',
      group_id: account.groupId,
    });
    expect(confirmation?.response).toBe(account.confirmationCode);
  });

  it('gives manual instructions when the token lacks the manage scope', async () => {
    const other = new WebhookReceiver();
    await other.start();
    const created = await sandbox.control.createAccount<VkCommunityAccount>('vk', { manageScope: false });
    const limited = vkAdapter.create(
      {
        groupId: created.groupId,
        accessToken: created.accessToken,
        secretKey: 's',
        confirmationCode: created.confirmationCode,
        apiBaseUrl: created.apiBaseUrl,
      },
      {
        logger: silentLogger,
        webhook: { url: other.url, key: other.key },
        emit: other.emit,
        requestTimeoutMs: 5_000,
      },
    );
    const result = await limited.connect();
    expect(result).toMatchObject({ webhook: 'manual' });
    if (result.webhook === 'manual') expect(result.instructions).toContain(`${other.url}?key=${other.key}`);
    await other.close();
  });

  it('performs the confirmation handshake for a server added through the control API', async () => {
    const created = await sandbox.control.createAccount<VkCommunityAccount>('vk', {
      callbackUrl: `${receiver.url}?key=wrong`,
      secretKey: vkSecretKey,
    });
    expect(created.callbackServers).toEqual([expect.objectContaining({ status: 'failed' })]);
  });
});

describe('vk: outbound requests', () => {
  it('sends text as messages.send with peer_id, a random_id from our id and the message', async () => {
    const messageId = nextId();
    const result = await adapter.send(recipient, { type: 'text', text: 'Заказ №1042 в пути' }, { messageId });
    expect(result.ok).toBe(true);
    const request = await lastRequest('messages.send');
    expect(request).toMatchObject({
      method: 'POST',
      contentType: expect.stringContaining('application/x-www-form-urlencoded'),
    });
    expect(request?.body).toEqual({
      access_token: account.accessToken,
      v: '5.199',
      peer_id: recipient.kind === 'user' ? recipient.externalUserId : '',
      random_id: String(randomIdFor(messageId)),
      message: 'Заказ №1042 в пути',
    });
  });

  it('sends an inline keyboard: text, callback and open_link buttons, two per row, JSON payloads', async () => {
    await adapter.send(
      recipient,
      {
        type: 'text',
        text: 'Выберите',
        buttons: [
          { kind: 'reply', label: 'Да', payload: 'yes' },
          { kind: 'callback', label: 'Нет', payload: 'no' },
          { kind: 'link', label: 'Сайт', url: 'https://shop.example/o/1042' },
        ],
      },
      { messageId: nextId() },
    );
    const body = (await lastRequest('messages.send'))?.body as Record<string, string>;
    expect(JSON.parse(body.keyboard ?? '')).toEqual({
      inline: true,
      buttons: [
        [
          { action: { type: 'text', label: 'Да', payload: '"yes"' }, color: 'secondary' },
          { action: { type: 'callback', label: 'Нет', payload: '"no"' }, color: 'secondary' },
        ],
        [{ action: { type: 'open_link', label: 'Сайт', link: 'https://shop.example/o/1042' } }],
      ],
    });
  });

  it('a retried send with the same message id returns the same VK id and delivers once', async () => {
    const messageId = nextId();
    const first = await adapter.send(recipient, { type: 'text', text: 'Один раз' }, { messageId });
    const again = await adapter.send(recipient, { type: 'text', text: 'Один раз' }, { messageId });
    expect(again).toEqual(first);
    const received = await sandbox.control.received(user.id, 'vk');
    expect(received.filter((message) => message.text === 'Один раз')).toHaveLength(1);
  });

  it('quotes a received message with reply_to', async () => {
    const { messageId } = await sandbox.control.userMessage(user.id, {
      platform: 'vk',
      to: String(account.groupId),
      text: 'Где заказ?',
    });
    const result = await adapter.send(
      recipient,
      { type: 'text', text: 'Уже едет' },
      { messageId: nextId(), replyToExternalId: messageId },
    );
    expect(result.ok).toBe(true);
    expect((await lastRequest('messages.send'))?.body).toMatchObject({ reply_to: messageId });
  });

  it('answers a callback button with messages.sendMessageEventAnswer, once', async () => {
    const sent = await adapter.send(
      recipient,
      {
        type: 'text',
        text: 'Оплатить?',
        buttons: [{ kind: 'callback', label: 'Оплатить', payload: 'pay-1' }],
      },
      { messageId: nextId() },
    );
    if (!sent.ok) throw new Error('send failed');
    await sandbox.control.pressButton(user.id, {
      platform: 'vk',
      messageId: sent.externalMessageId,
      button: 'Оплатить',
    });
    const press = await waitFor('button-press', (event) => event.payload === 'pay-1');
    expect(press.answerToken).toMatch(/^[0-9a-f]+$/);
    await adapter.acknowledgeButton?.(press);
    const answer = await lastRequest('messages.sendMessageEventAnswer');
    expect(answer?.body).toMatchObject({
      event_id: press.answerToken,
      user_id: press.from.externalUserId,
      peer_id: press.conversationId,
    });
    const again = await callVk('messages.sendMessageEventAnswer', {
      event_id: press.eventKey.split(':').at(-1) ?? '',
      user_id: '1',
      peer_id: '1',
    });
    expect(again.error).toMatchObject({ error_code: 100 });
  });

  it('a text button answers with a message carrying its payload', async () => {
    const sent = await adapter.send(
      recipient,
      { type: 'text', text: 'Как вам?', buttons: [{ kind: 'reply', label: 'Отлично', payload: 'rate-5' }] },
      { messageId: nextId() },
    );
    if (!sent.ok) throw new Error('send failed');
    await sandbox.control.pressButton(user.id, {
      platform: 'vk',
      messageId: sent.externalMessageId,
      button: 0,
    });
    const message = await waitFor('inbound-message', (event) => event.buttonPayload === 'rate-5');
    expect(message.text).toBe('Отлично');
  });
});

describe('vk: platform rules and error mapping', () => {
  it('maps 901 (no permission) and 900 (blacklist) from the simulator', async () => {
    const shy = await createVkRecipient(sandbox, { vk: { reachable: false } }, '+79160000901');
    expect(
      await adapter.send(shy.recipient, { type: 'text', text: 'Привет' }, { messageId: nextId() }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'not-allowed', code: 901 },
    });
    const blocked = await createVkRecipient(sandbox, { vk: { blocked: true } }, '+79160000900');
    expect(
      await adapter.send(blocked.recipient, { type: 'text', text: 'Привет' }, { messageId: nextId() }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'blocked', code: 900 },
    });
  });

  it('a user who writes first allows messages (message_allow → opt-in) and can then be messaged', async () => {
    const shy = await createVkRecipient(sandbox, { vk: { reachable: false } }, '+79160000902');
    await sandbox.control.userMessage(shy.user.id, {
      platform: 'vk',
      to: String(account.groupId),
      text: 'Здравствуйте',
    });
    await waitFor('opt-in', (event) => event.from.externalUserId === shy.externalUserId);
    expect(
      await adapter.send(shy.recipient, { type: 'text', text: 'Слушаем' }, { messageId: nextId() }),
    ).toMatchObject({ ok: true });
  });

  it('answers 914 for text over 4096 characters and 911 for an inline keyboard over 10 buttons', async () => {
    const peer = recipient.kind === 'user' ? recipient.externalUserId : '';
    const long = await callVk('messages.send', { peer_id: peer, random_id: '11', message: 'я'.repeat(4097) });
    expect(long.error).toMatchObject({ error_code: 914, error_msg: 'Message is too long' });
    const button = { action: { type: 'text', label: 'x', payload: '"x"' } };
    const keyboard = JSON.stringify({
      inline: true,
      buttons: [[button, button, button, button, button], [button, button, button, button, button], [button]],
    });
    const tooMany = await callVk('messages.send', {
      peer_id: peer,
      random_id: '12',
      message: 'кнопки',
      keyboard,
    });
    expect(tooMany.error).toMatchObject({
      error_code: 911,
      request_params: expect.arrayContaining([{ key: 'method', value: 'messages.send' }]),
    });
  });

  it('answers 912 to keyboards when the community has bot capabilities off', async () => {
    const off = await sandbox.control.createAccount<VkCommunityAccount>('vk', { botCapabilities: false });
    const limited = vkAdapter.create(
      {
        groupId: off.groupId,
        accessToken: off.accessToken,
        secretKey: 's',
        confirmationCode: off.confirmationCode,
        apiBaseUrl: off.apiBaseUrl,
      },
      {
        logger: silentLogger,
        webhook: { url: receiver.url, key: receiver.key },
        emit: receiver.emit,
        requestTimeoutMs: 5_000,
      },
    );
    const result = await limited.send(
      recipient,
      { type: 'text', text: 'Да?', buttons: [{ kind: 'reply', label: 'Да', payload: 'y' }] },
      { messageId: nextId() },
    );
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'not-allowed', code: 912 },
    });
  });

  it('maps a revoked token (5) to auth', async () => {
    const broken = vkAdapter.create(
      {
        groupId: account.groupId,
        accessToken: 'vk1.a.revoked',
        secretKey: 's',
        confirmationCode: 'c',
        apiBaseUrl: account.apiBaseUrl,
      },
      {
        logger: silentLogger,
        webhook: { url: receiver.url, key: receiver.key },
        emit: receiver.emit,
        requestTimeoutMs: 5_000,
      },
    );
    expect(await broken.send(recipient, { type: 'text', text: 'x' }, { messageId: nextId() })).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'auth', code: 5 },
    });
  });

  it('enforces 20 requests per second per token with error 6', async () => {
    const answers = await Promise.all(Array.from({ length: 25 }, () => callVk('groups.getById', {})));
    expect(
      answers
        .filter((answer) => answer.error)
        .map((answer) => (answer.error as { error_code: number }).error_code),
    ).toContain(6);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
  });

  it('maps every tabled VK error code', () => {
    expect(mapVkError(6, '')).toMatchObject({
      failure: { kind: 'rate-limited', retryAfterMs: vkRetryDelayMs.tooManyPerSecond },
    });
    expect(mapVkError(9, '')).toMatchObject({
      failure: { kind: 'rate-limited', retryAfterMs: vkRetryDelayMs.floodControl },
    });
    expect(mapVkError(29, '')).toMatchObject({
      failure: { kind: 'rate-limited', retryAfterMs: vkRetryDelayMs.quota },
    });
    expect(mapVkError(902, '')).toMatchObject({ failure: { kind: 'permanent', reason: 'privacy' } });
    expect(mapVkError(914, '')).toMatchObject({ failure: { kind: 'permanent', reason: 'content-too-long' } });
    expect(mapVkError(10, 'Internal server error')).toMatchObject({
      failure: { kind: 'retryable', code: 10 },
    });
    expect(mapVkError(1, 'Unknown error occurred')).toMatchObject({
      failure: { kind: 'retryable', code: 1 },
    });
    expect(mapVkError(7777, 'new')).toMatchObject({
      failure: { kind: 'permanent', reason: 'rejected', code: 7777 },
    });
  });

  it('withdraws with messages.delete for all, and refuses after 24 hours (924)', async () => {
    const sent = await adapter.send(recipient, { type: 'text', text: 'Отзовём' }, { messageId: nextId() });
    if (!sent.ok) throw new Error('send failed');
    expect(await adapter.withdraw?.({ externalMessageId: sent.externalMessageId, recipient })).toEqual({
      ok: true,
    });
    expect((await lastRequest('messages.delete'))?.body).toMatchObject({
      message_ids: sent.externalMessageId,
      delete_for_all: '1',
    });
    const old = await adapter.send(recipient, { type: 'text', text: 'Старое' }, { messageId: nextId() });
    if (!old.ok) throw new Error('send failed');
    await sandbox.control.advanceClock(25 * 3_600_000);
    expect(await adapter.withdraw?.({ externalMessageId: old.externalMessageId, recipient })).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', code: 924 },
    });
  });
});

describe('vk: calls through vk-io (pacing, no replays, transport failures)', () => {
  const sendCount = async () =>
    (await sandbox.control.requests('vk')).filter((entry) => entry.path === '/method/messages.send').length;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function adapterWith(overrides: { apiBaseUrl?: string; requestTimeoutMs?: number }): ChannelAdapter {
    return vkAdapter.create(
      {
        groupId: account.groupId,
        accessToken: account.accessToken,
        secretKey: vkSecretKey,
        confirmationCode: account.confirmationCode,
        apiBaseUrl: overrides.apiBaseUrl ?? account.apiBaseUrl,
      },
      {
        logger: silentLogger,
        webhook: { url: receiver.url, key: receiver.key },
        emit: receiver.emit,
        requestTimeoutMs: overrides.requestTimeoutMs ?? 5_000,
      },
    );
  }

  it('answers error 6 with rate-limited at once: vk-io does not replay it', async () => {
    const before = await sendCount();
    await sandbox.control.addFault({ platform: 'vk', kind: 'rate-limit', retryAfterSeconds: 7, count: 1 });
    expect(
      await adapter.send(recipient, { type: 'text', text: 'Шесть' }, { messageId: nextId() }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: vkRetryDelayMs.tooManyPerSecond, code: 6 },
    });
    expect(await sendCount()).toBe(before + 1);
  });

  it('makes an HTML 502 page retryable, sent once', async () => {
    const before = await sendCount();
    await sandbox.control.addFault({ platform: 'vk', kind: 'server-error', status: 502, count: 1 });
    expect(
      await adapter.send(recipient, { type: 'text', text: '502' }, { messageId: nextId() }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: expect.stringContaining('not JSON') },
    });
    expect(await sendCount()).toBe(before + 1);
  });

  it('makes a request that outlasts requestTimeoutMs retryable (vk-io apiTimeout)', async () => {
    const impatient = adapterWith({ requestTimeoutMs: 300 });
    await sandbox.control.addFault({ platform: 'vk', kind: 'timeout', count: 1 });
    expect(await impatient.send(recipient, { type: 'text', text: 'Жду' }, { messageId: nextId() })).toEqual({
      ok: false,
      failure: { kind: 'retryable', reason: 'timed out after 300 ms' },
    });
    await impatient.close();
  });

  it('makes a refused connection retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = adapterWith({ apiBaseUrl: `http://127.0.0.1:${port}/method` });
    expect(
      await unreachable.send(recipient, { type: 'text', text: 'Алло' }, { messageId: nextId() }),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: expect.stringContaining('network error') },
    });
    await unreachable.close();
  });

  it('paces a burst at 20 calls per second (apiLimit), so VK never answers 6', async () => {
    await pause(1_100);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        adapter.send(recipient, { type: 'text', text: `Пачка ${index}` }, { messageId: nextId() }),
      ),
    );
    expect(results.filter((result) => !result.ok)).toEqual([]);
    await pause(1_100);
  });
});

describe('vk: inbound files and replies', () => {
  it('downloads a document with the bytes the user sent, within the size limit', async () => {
    const bytes = Buffer.from('%PDF-1.4 sandbox invoice');
    await sandbox.control.userMessage(user.id, {
      platform: 'vk',
      to: String(account.groupId),
      text: 'Счёт',
      attachment: {
        kind: 'document',
        fileName: 'invoice.pdf',
        mimeType: 'application/pdf',
        contentBase64: bytes.toString('base64'),
      },
    });
    const message = await waitFor('inbound-message', (event) => event.text === 'Счёт');
    const [document] = message.attachments;
    if (!document || !('fileRef' in document)) throw new Error('no document');
    expect(document).toMatchObject({ kind: 'document', fileName: 'invoice.pdf', size: bytes.length });
    const downloaded = await adapter.downloadAttachment?.(document.fileRef, 1_000_000);
    expect(downloaded).toMatchObject({ ok: true, file: { mimeType: 'application/pdf' } });
    if (downloaded?.ok) expect(downloaded.file.data.equals(bytes)).toBe(true);
    expect(await adapter.downloadAttachment?.(document.fileRef, 5)).toMatchObject({
      ok: false,
      reason: 'too-large',
    });
  });

  it('downloads a photo from its largest size URL', async () => {
    await sandbox.control.userMessage(user.id, {
      platform: 'vk',
      to: String(account.groupId),
      text: 'Фото',
      attachment: { kind: 'photo', contentBase64: sampleJpeg.toString('base64') },
    });
    const message = await waitFor('inbound-message', (event) => event.text === 'Фото');
    const [photo] = message.attachments;
    if (!photo || !('fileRef' in photo)) throw new Error('no photo');
    const downloaded = await adapter.downloadAttachment?.(photo.fileRef, 1_000_000);
    expect(downloaded).toMatchObject({ ok: true, file: { mimeType: 'image/jpeg' } });
    if (downloaded?.ok) expect(downloaded.file.data.equals(sampleJpeg)).toBe(true);
  });

  it('maps a reply to a received message to replyToExternalId', async () => {
    const sent = await adapter.send(
      recipient,
      { type: 'text', text: 'Доставка завтра' },
      { messageId: nextId() },
    );
    if (!sent.ok) throw new Error('send failed');
    await sandbox.control.userMessage(user.id, {
      platform: 'vk',
      to: String(account.groupId),
      text: 'А во сколько?',
      replyTo: sent.externalMessageId,
    });
    const reply = await waitFor('inbound-message', (event) => event.text === 'А во сколько?');
    expect(reply.replyToExternalId).toBe(sent.externalMessageId);
  });
});
