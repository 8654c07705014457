import { createHash } from 'node:crypto';
import type { ChannelAdapter, NormalizedEvent, Recipient, WebhookRequest } from '../../adapters/contract';
import { telegramAdapter } from '../../adapters/telegram';
import {
  type SandboxControl,
  type SandboxUser,
  startTestSandbox,
  type TestSandbox,
} from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

const silentLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const secretHeader = 'x-telegram-bot-api-secret-token';
/** A 2×3 px PNG a virtual user sends as a photo. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAPBQEBu1u5XQAAAABJRU5ErkJggg==',
  'base64',
);

let sandbox: TestSandbox;
let control: SandboxControl;
let receiver: WebhookReceiver;
let adapter: ChannelAdapter;
let token: string;
let botId: number;
let phone = 0;

function createAdapter(botToken: string, key: string): ChannelAdapter {
  return telegramAdapter.create(
    telegramAdapter.configSchema.parse({ botToken, apiRoot: `${sandbox.sandbox.url}/telegram` }),
    {
      logger: silentLogger,
      webhook: { url: receiver.url, key },
      emit: receiver.emit,
      requestTimeoutMs: 2_000,
    },
  );
}

async function newUser(
  account: Record<string, unknown> | true = true,
): Promise<{ user: SandboxUser; to: Recipient; id: string }> {
  phone += 1;
  const user = await control.createUser({
    phone: `+7916200${String(phone).padStart(4, '0')}`,
    name: 'Мария Иванова',
    accounts: { telegram: account },
  });
  const id = user.accounts.telegram?.id ?? '';
  return { user, to: { kind: 'user', externalUserId: id }, id };
}

function eventsFrom(userId: string): NormalizedEvent[] {
  return receiver.events.filter((event) => 'from' in event && event.from.externalUserId === userId);
}

async function callbackBodies(): Promise<
  Array<{ headers: Record<string, string>; body: Record<string, unknown> }>
> {
  const { callbacks } = await control.call<{
    callbacks: Array<{ headers: Record<string, string>; body: string }>;
  }>('GET', '/callbacks?platform=telegram');
  return callbacks.map((entry) => ({
    headers: entry.headers,
    body: JSON.parse(entry.body) as Record<string, unknown>,
  }));
}

beforeAll(async () => {
  sandbox = await startTestSandbox('telegram-inbound');
  control = sandbox.control;
  receiver = new WebhookReceiver();
  await receiver.start();
  ({ token, botId } = await control.createAccount<{ token: string; botId: number }>('telegram'));
  adapter = createAdapter(token, receiver.key);
  receiver.adapter = adapter;
  await adapter.connect();
});
afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
});

describe('telegram inbound: updates the simulator sends', () => {
  it('posts Updates shaped like the Bot API, numbered in order, with the secret header', async () => {
    const { user, id } = await newUser();
    await control.userMessage(user.id, { platform: 'telegram', text: '/start' });
    await control.userMessage(user.id, { platform: 'telegram', text: 'Здравствуйте' });
    const [first, second] = (await callbackBodies()).slice(-2);
    expect(first?.headers['X-Telegram-Bot-Api-Secret-Token']).toBe(receiver.key);
    expect(Number(second?.body.update_id)).toBe(Number(first?.body.update_id) + 1);
    expect(first?.body.message).toEqual({
      message_id: 1,
      from: { id: Number(id), is_bot: false, first_name: 'Мария', last_name: 'Иванова', language_code: 'ru' },
      chat: { id: Number(id), first_name: 'Мария', last_name: 'Иванова', type: 'private' },
      date: expect.any(Number),
      text: '/start',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(eventsFrom(id).map((event) => event.type === 'inbound-message' && event.text)).toEqual([
      '/start',
      'Здравствуйте',
    ]);
  });

  it('links a user reply to the message of ours it quotes', async () => {
    const { user, to } = await newUser();
    const sent = await adapter.send(to, { type: 'text', text: 'Оцените доставку' }, { messageId: 'm-reply' });
    if (!sent.ok) throw new Error('send failed');
    await control.userMessage(user.id, {
      platform: 'telegram',
      text: '5 из 5',
      replyTo: sent.externalMessageId,
    });
    const event = receiver.events.find(
      (candidate) => candidate.type === 'inbound-message' && candidate.text === '5 из 5',
    );
    expect(event).toMatchObject({ replyToExternalId: sent.externalMessageId });
  });

  it('turns a reply-keyboard tap into the label as text', async () => {
    const { user, to, id } = await newUser();
    const sent = await adapter.send(
      to,
      {
        type: 'text',
        text: 'Перенести доставку?',
        buttons: [{ kind: 'reply', label: 'Перенести', payload: 'move' }],
      },
      { messageId: 'm-keyboard' },
    );
    if (!sent.ok) throw new Error('send failed');
    await control.pressButton(user.id, {
      platform: 'telegram',
      messageId: sent.externalMessageId,
      button: 0,
    });
    expect(eventsFrom(id)).toEqual([expect.objectContaining({ type: 'inbound-message', text: 'Перенести' })]);
  });

  it('reports a blocked user writing again as opt-in (my_chat_member) before the message', async () => {
    const { user, to, id } = await newUser({ blocked: true });
    await control.userMessage(user.id, { platform: 'telegram', text: 'Я вернулся' });
    expect(eventsFrom(id).map((event) => event.type)).toEqual(['opt-in', 'inbound-message']);
    expect(
      await adapter.send(to, { type: 'text', text: 'С возвращением' }, { messageId: 'm-back' }),
    ).toMatchObject({ ok: true });
  });

  it('blocks and unblocks on the control API with my_chat_member kicked ↔ member; a repeat sends nothing', async () => {
    const { user, id } = await newUser();
    const before = (await callbackBodies()).length;
    await control.block(user.id, 'telegram');
    await control.block(user.id, 'telegram');
    await control.unblock(user.id, 'telegram');
    const updates = (await callbackBodies()).slice(before).map(({ body }) => body);
    const bot = { id: botId, is_bot: true, first_name: expect.any(String), username: expect.any(String) };
    const change = (from: object, to: object) => ({
      update_id: expect.any(Number),
      my_chat_member: {
        chat: { id: Number(id), first_name: 'Мария', last_name: 'Иванова', type: 'private' },
        from: {
          id: Number(id),
          is_bot: false,
          first_name: 'Мария',
          last_name: 'Иванова',
          language_code: 'ru',
        },
        date: expect.any(Number),
        old_chat_member: from,
        new_chat_member: to,
      },
    });
    const member = { user: bot, status: 'member' };
    const kicked = { user: bot, status: 'kicked', until_date: 0 };
    expect(updates).toEqual([change(member, kicked), change(kicked, member)]);
    expect(eventsFrom(id).map((event) => event.type)).toEqual(['opt-out', 'opt-in']);
    await expect(control.block('u9999', 'telegram')).rejects.toThrow('→ 404');
    await expect(control.call('POST', `/users/${user.id}/block`, { platform: 'max' })).rejects.toThrow(
      '→ 400',
    );
    const noTelegram = await control.createUser({ phone: '+79162009999', accounts: { vk: true } });
    await expect(control.block(noTelegram.id, 'telegram')).rejects.toThrow('has no telegram account');
  });
});

describe('telegram inbound: webhook verification', () => {
  let genuine: WebhookRequest;
  beforeAll(() => {
    const last = receiver.requests.at(-1);
    if (!last) throw new Error('no webhook captured');
    genuine = last;
  });
  const withSecret = (secret: string | undefined, body: Buffer = genuine.rawBody): WebhookRequest => {
    const { [secretHeader]: _omit, ...headers } = genuine.headers;
    return {
      ...genuine,
      rawBody: body,
      headers: secret === undefined ? headers : { ...headers, [secretHeader]: secret },
    };
  };

  it('accepts the genuine update with an empty 200 answer', async () => {
    expect(await adapter.handleWebhook(genuine)).toMatchObject({
      outcome: 'accepted',
      response: { status: 200, contentType: 'text/plain', body: '' },
    });
  });

  it.each([
    ['a missing secret', undefined],
    ['a wrong secret of the same length', 'x'.repeat(32)],
    ['a longer secret', `${'x'.repeat(32)}y`],
    ['an empty secret', ''],
  ])('answers 401 to %s', async (_what, secret) => {
    expect(await adapter.handleWebhook(withSecret(secret))).toEqual({
      outcome: 'rejected',
      status: 401,
      reason: 'missing or wrong X-Telegram-Bot-Api-Secret-Token',
    });
  });

  it('checks the secret before it reads the body', async () => {
    expect(await adapter.handleWebhook(withSecret('wrong', Buffer.from('{not json')))).toMatchObject({
      status: 401,
    });
  });

  it.each([
    ['invalid JSON', '{not json'],
    ['JSON that is not an Update', '{"message":{"text":"hi"}}'],
    ['a message without a chat', '{"update_id":7,"message":{"message_id":1,"date":1}}'],
  ])('answers 400 to %s behind a valid secret', async (_what, body) => {
    expect(await adapter.handleWebhook(withSecret(receiver.key, Buffer.from(body)))).toMatchObject({
      outcome: 'rejected',
      status: 400,
    });
  });

  it('accepts update types it does not map, with no events', async () => {
    const body = Buffer.from('{"update_id":8,"poll":{"id":"1","question":"?","options":[]}}');
    expect(await adapter.handleWebhook(withSecret(receiver.key, body))).toMatchObject({
      outcome: 'accepted',
      events: [],
    });
  });

  it('registers a key Telegram would refuse as its SHA-256 and verifies against that', async () => {
    const key = `${'ключ+/='.repeat(40)}`;
    const bot = await control.createAccount<{ token: string }>('telegram');
    const hashedAdapter = createAdapter(bot.token, key);
    expect(await hashedAdapter.connect()).toEqual({ webhook: 'registered' });
    const expected = createHash('sha256').update(key).digest('hex');
    const setWebhook = (await control.requests('telegram')).filter(
      (entry) => entry.path === `/bot${bot.token}/setWebhook`,
    );
    expect(setWebhook[0]?.body).toMatchObject({ secret_token: expected });
    expect(await hashedAdapter.handleWebhook(withSecret(expected))).toMatchObject({ outcome: 'accepted' });
    expect(await hashedAdapter.handleWebhook(withSecret(key))).toMatchObject({
      outcome: 'rejected',
      status: 401,
    });
  });
});

describe('telegram inbound: attachments', () => {
  async function sendFile(attachment: Record<string, unknown>, text = '') {
    const { user, id } = await newUser();
    // Another bot exists by now; `to` names ours.
    await control.userMessage(user.id, { platform: 'telegram', text, attachment, to: String(botId) });
    const event = eventsFrom(id).find((candidate) => candidate.type === 'inbound-message');
    if (event?.type !== 'inbound-message') throw new Error('no inbound message');
    return event;
  }

  it('downloads a photo through getFile and the file URL, byte for byte', async () => {
    const event = await sendFile({ kind: 'photo', contentBase64: png.toString('base64') }, 'Фото упаковки');
    expect(event.text).toBe('Фото упаковки');
    const [photo] = event.attachments;
    if (photo?.kind !== 'photo') throw new Error('no photo');
    expect(photo.size).toBe(png.length);
    const downloaded = await adapter.downloadAttachment?.(photo.fileRef, 1_000_000);
    expect(downloaded).toEqual({
      ok: true,
      file: { data: png, mimeType: 'image/png', fileName: expect.stringMatching(/^file_\d+\.jpg$/) },
    });
    const paths = (await control.requests('telegram')).slice(-2).map((entry) => entry.path);
    expect(paths[0]).toBe(`/bot${token}/getFile`);
    expect(paths[1]).toMatch(new RegExp(`^/file/bot${token}/photos/file_\\d+\\.jpg$`));
  });

  it('downloads a document with its name', async () => {
    const data = Buffer.from('%PDF-1.4 счёт №1042');
    const event = await sendFile({
      kind: 'document',
      fileName: 'invoice.pdf',
      mimeType: 'application/pdf',
      contentBase64: data.toString('base64'),
    });
    expect(event.attachments).toEqual([
      {
        kind: 'document',
        fileRef: expect.any(String),
        fileName: 'invoice.pdf',
        mimeType: 'application/pdf',
        size: data.length,
      },
    ]);
    const [document] = event.attachments;
    if (document?.kind !== 'document') throw new Error('no document');
    expect(await adapter.downloadAttachment?.(document.fileRef, 1_000_000)).toEqual({
      ok: true,
      file: { data, mimeType: 'application/pdf', fileName: expect.stringMatching(/^file_\d+\.pdf$/) },
    });
  });

  it('refuses a file over the limit before downloading it, and an unknown file id', async () => {
    const event = await sendFile({ kind: 'voice' });
    const [voice] = event.attachments;
    if (voice?.kind !== 'voice') throw new Error('no voice');
    expect(await adapter.downloadAttachment?.(voice.fileRef, 4)).toMatchObject({
      ok: false,
      reason: 'too-large',
    });
    expect(await adapter.downloadAttachment?.('AgACAgIAAxkBAAunknown', 1_000)).toEqual({
      ok: false,
      reason: 'not-found',
      detail: 'Bad Request: invalid file_id',
    });
  });
});
