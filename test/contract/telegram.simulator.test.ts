import { TelegramError } from 'telegraf';
import { failureFrom } from '../../adapters/telegram/error-mapping';
import { sampleJpeg } from '../../src/sandbox/file-store';
import {
  type SandboxControl,
  type SandboxUser,
  startTestSandbox,
  type TestSandbox,
} from './helpers/sandbox-control';

let sandbox: TestSandbox;
let control: SandboxControl;
let bot: { token: string; botId: number };
let user: SandboxUser;
let chatId: number;

interface Answer {
  status: number;
  body: {
    ok: boolean;
    result?: Record<string, unknown>;
    error_code?: number;
    description?: string;
    parameters?: object;
  };
}

/** One raw Bot API call, JSON unless a form or multipart body is given. */
async function api(
  method: string,
  params: object | URLSearchParams | FormData = {},
  token = bot.token,
): Promise<Answer> {
  const raw = params instanceof URLSearchParams || params instanceof FormData;
  const response = await fetch(`${sandbox.sandbox.url}/telegram/bot${token}/${method}`, {
    method: 'POST',
    ...(raw
      ? { body: params }
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** What the adapter makes of a real simulator error. */
const adapterFailure = (answer: Answer) =>
  failureFrom(new TelegramError(answer.body as ConstructorParameters<typeof TelegramError>[0])).failure;

beforeAll(async () => {
  sandbox = await startTestSandbox('telegram-simulator');
  control = sandbox.control;
  bot = await control.createAccount<{ token: string; botId: number }>('telegram');
  user = await control.createUser({ phone: '+79163000001', name: 'Олег', accounts: { telegram: true } });
  chatId = Number(user.accounts.telegram?.id);
});
afterAll(() => sandbox?.close());
afterEach(() => control.clearFaults());

describe('telegram simulator: the Bot API envelope', () => {
  it('answers an unknown token with 401 Unauthorized and an unknown method with 404', async () => {
    expect(await api('getMe', {}, '123:AAwrongwrongwrongwrongwrongwrongwrong')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await api('sendTelepathy')).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
  });

  it('takes GET with a query string, method names in any case', async () => {
    const response = await fetch(`${sandbox.sandbox.url}/telegram/bot${bot.token}/GETME?x=1`);
    expect(await response.json()).toMatchObject({
      ok: true,
      result: { id: bot.botId, is_bot: true, username: expect.stringMatching(/bot$/) },
    });
  });

  it('takes form-encoded parameters with JSON-serialized reply_markup', async () => {
    const form = new URLSearchParams({
      chat_id: String(chatId),
      text: 'Форма',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Ок', callback_data: 'ok' }]] }),
    });
    expect(await api('sendMessage', form)).toMatchObject({
      status: 200,
      body: {
        ok: true,
        result: {
          chat: { id: chatId, type: 'private' },
          text: 'Форма',
          reply_markup: { inline_keyboard: [[{ text: 'Ок', callback_data: 'ok' }]] },
        },
      },
    });
  });

  it("answers the rate-limit fault with Telegram's 429 and retry_after", async () => {
    await control.addFault({ platform: 'telegram', kind: 'rate-limit', retryAfterSeconds: 7, count: 1 });
    const answer = await api('sendMessage', { chat_id: chatId, text: 'x' });
    expect(answer).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    });
    expect(adapterFailure(answer)).toEqual({ kind: 'rate-limited', retryAfterMs: 7000, code: 429 });
  });
});

describe('telegram simulator: message rules and how the adapter reads them', () => {
  const inline = (button: object) => ({ inline_keyboard: [[{ text: 'Кнопка', ...button }]] });
  it.each([
    ['4097 characters', { text: 'я'.repeat(4097) }, 'Bad Request: message is too long', 'content-too-long'],
    ['whitespace only', { text: '   ' }, 'Bad Request: message text is empty', 'content-invalid'],
    [
      'callback_data of 65 bytes',
      { text: 'x', reply_markup: inline({ callback_data: 'd'.repeat(65) }) },
      'Bad Request: BUTTON_DATA_INVALID',
      'content-invalid',
    ],
    [
      'a javascript: link',
      { text: 'x', reply_markup: inline({ url: 'javascript:alert(1)' }) },
      'Bad Request: BUTTON_URL_INVALID',
      'content-invalid',
    ],
    [
      '101 buttons',
      {
        text: 'x',
        reply_markup: {
          inline_keyboard: Array.from({ length: 101 }, (_, i) => [{ text: `${i}`, callback_data: `${i}` }]),
        },
      },
      'Bad Request: reply markup is too long',
      'content-invalid',
    ],
    [
      'unparsable reply_markup',
      { text: 'x', reply_markup: '{oops' },
      "Bad Request: can't parse reply keyboard markup JSON object",
      'content-invalid',
    ],
    [
      'a reply to a missing message',
      { text: 'x', reply_parameters: { message_id: 999 } },
      'Bad Request: message to be replied not found',
      'rejected',
    ],
  ])('refuses %s', async (_what, params, description, reason) => {
    const answer = await api('sendMessage', { chat_id: chatId, ...params });
    expect(answer).toEqual({ status: 400, body: { ok: false, error_code: 400, description } });
    expect(adapterFailure(answer)).toMatchObject({ kind: 'permanent', reason, code: 400 });
  });

  it('sends without the reply when allow_sending_without_reply is set', async () => {
    const answer = await api('sendMessage', {
      chat_id: chatId,
      text: 'x',
      reply_parameters: { message_id: 999, allow_sending_without_reply: true },
    });
    expect(answer.body.ok).toBe(true);
    expect(answer.body.result).not.toHaveProperty('reply_to_message');
  });

  it.each([
    ['a @username', '@someone', 'Bad Request: chat not found'],
    ['no chat id', '', 'Bad Request: chat_id is empty'],
  ])('refuses %s as chat', async (_what, chat, description) => {
    expect((await api('sendMessage', { chat_id: chat, text: 'x' })).body.description).toBe(description);
  });

  it('takes a multipart photo and refuses what is not an image or a caption over 1024', async () => {
    const photo = (data: Buffer, caption = 'Чек') => {
      const form = new FormData();
      form.set('chat_id', String(chatId));
      form.set('caption', caption);
      form.set('photo', new Blob([new Uint8Array(data)]), 'receipt.jpg');
      return form;
    };
    expect(await api('sendPhoto', photo(sampleJpeg))).toMatchObject({
      status: 200,
      body: {
        result: {
          caption: 'Чек',
          photo: [{ width: 1, height: 1, file_size: sampleJpeg.length, file_id: expect.any(String) }],
        },
      },
    });
    expect((await api('sendPhoto', photo(Buffer.from('not an image')))).body.description).toBe(
      'Bad Request: IMAGE_PROCESS_FAILED',
    );
    expect((await api('sendPhoto', photo(sampleJpeg, 'я'.repeat(1025)))).body.description).toBe(
      'Bad Request: message caption is too long',
    );
  });

  it('refuses an unknown callback query id', async () => {
    const answer = await api('answerCallbackQuery', { callback_query_id: '42' });
    expect(answer.body.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
  });
});

describe('telegram simulator: webhooks', () => {
  it('refuses a non-HTTP URL and a secret token with forbidden characters', async () => {
    expect((await api('setWebhook', { url: 'ftp://example.com/hook' })).body.description).toBe(
      'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
    );
    expect(
      (await api('setWebhook', { url: 'https://example.com/hook', secret_token: 'a+b' })).body.description,
    ).toBe('Bad Request: bad webhook: secret token contains unallowed characters');
  });

  it('keeps updates while no webhook is set and delivers them once one is', async () => {
    await control.userMessage(user.id, {
      platform: 'telegram',
      text: 'Пока нет вебхука',
      to: String(bot.botId),
    });
    expect((await api('getWebhookInfo')).body.result).toEqual({
      url: '',
      has_custom_certificate: false,
      pending_update_count: 1,
    });
    const hook = `${sandbox.sandbox.url}/_sandbox/nowhere`;
    expect((await api('setWebhook', { url: hook, secret_token: 'abc_DEF-123' })).body).toEqual({
      ok: true,
      result: true,
      description: 'Webhook was set',
    });
    const delivered = await waitForCallback(hook);
    expect(JSON.parse(delivered.body)).toMatchObject({ message: { text: 'Пока нет вебхука' } });
    expect(delivered.headers['X-Telegram-Bot-Api-Secret-Token']).toBe('abc_DEF-123');
    expect((await api('deleteWebhook')).body).toEqual({
      ok: true,
      result: true,
      description: 'Webhook was deleted',
    });
  });

  async function waitForCallback(url: string): Promise<{ body: string; headers: Record<string, string> }> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const { callbacks } = await control.call<{
        callbacks: Array<{ url: string; body: string; headers: Record<string, string> }>;
      }>('GET', '/callbacks?platform=telegram');
      const found = callbacks.find((entry) => entry.url === url);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no callback delivered');
  }
});

describe('telegram simulator: time limits', () => {
  it('serves a getFile link for an hour, then 404', async () => {
    const form = new FormData();
    form.set('chat_id', String(chatId));
    form.set('photo', new Blob([new Uint8Array(sampleJpeg)]), 'a.jpg');
    const [size] = ((await api('sendPhoto', form)).body.result?.photo ?? []) as Array<{ file_id: string }>;
    const file = (await api('getFile', { file_id: size?.file_id })).body.result;
    expect(file).toEqual({
      file_id: size?.file_id,
      file_unique_id: expect.any(String),
      file_size: sampleJpeg.length,
      file_path: expect.stringMatching(/^photos\//),
    });
    const url = `${sandbox.sandbox.url}/telegram/file/bot${bot.token}/${String(file?.file_path)}`;
    const fresh = await fetch(url);
    expect(Buffer.from(await fresh.arrayBuffer())).toEqual(sampleJpeg);
    await control.advanceClock(3_600_001);
    expect(await (await fetch(url)).json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('refuses a photo by a file id the bot does not know', async () => {
    expect((await api('sendPhoto', { chat_id: chatId, photo: 'unknown-file-id' })).body.description).toBe(
      'Bad Request: wrong file identifier/HTTP URL specified',
    );
  });

  it('refuses to delete a message older than 48 hours', async () => {
    const messageId = (await api('sendMessage', { chat_id: chatId, text: 'Старое' })).body.result?.message_id;
    await control.advanceClock(48 * 3_600_000);
    expect((await api('deleteMessage', { chat_id: chatId, message_id: messageId })).body.description).toBe(
      "Bad Request: message can't be deleted for everyone",
    );
  });
});
