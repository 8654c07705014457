import type { AdapterContext, ChannelAdapter } from '../../adapters/contract';
import { telegramAdapter } from '../../adapters/telegram';
import { describeAdapterContract } from './helpers/adapter-contract';
import type { CapturedWebhook, WebhookReceiver } from './helpers/webhook-receiver';

const silentLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An adapter context pointed at a test webhook receiver. */
function telegramContext(receiver: WebhookReceiver): AdapterContext {
  return {
    logger: silentLogger,
    webhook: { url: receiver.url, key: receiver.key },
    emit: receiver.emit,
    requestTimeoutMs: 2_000,
  };
}

const secretHeader = 'x-telegram-bot-api-secret-token';

/** The same request with one character of the secret token changed. */
function tamper(request: CapturedWebhook): CapturedWebhook {
  const secret = request.headers[secretHeader] ?? '';
  const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
  return { ...request, headers: { ...request.headers, [secretHeader]: flipped } };
}

let phoneSequence = 0;

describeAdapterContract('telegram', {
  simulator: 'telegram',
  receivedOn: 'telegram',
  async createAdapter({ sandbox, control, receiver }): Promise<ChannelAdapter> {
    const bot = await control.createAccount<{ token: string }>('telegram');
    const adapter = telegramAdapter.create(
      telegramAdapter.configSchema.parse({ botToken: bot.token, apiRoot: `${sandbox.sandbox.url}/telegram` }),
      telegramContext(receiver),
    );
    const connected = await adapter.connect();
    if (connected.webhook !== 'registered') throw new Error(`connect failed: ${JSON.stringify(connected)}`);
    return adapter;
  },
  async createRecipient({ control }) {
    phoneSequence += 1;
    const user = await control.createUser({
      phone: `+7916000${String(phoneSequence).padStart(4, '0')}`,
      name: 'Анна Петрова',
      accounts: { telegram: true },
    });
    const externalUserId = user.accounts.telegram?.id ?? '';
    return { user, recipient: { kind: 'user', externalUserId }, externalUserId };
  },
  tamper,
  // Telegram's 429 carries parameters.retry_after = 7 → 7000 ms.
  expectedRetryAfterMs: 7_000,
});
