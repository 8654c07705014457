import pino from 'pino';
import { viberAdapter } from '../../adapters/viber';
import { viberRateLimitDelayMs } from '../../adapters/viber/error-mapping';
import { describeAdapterContract } from './helpers/adapter-contract';

describeAdapterContract('viber', {
  simulator: 'viber',
  receivedOn: 'viber',
  async createAdapter(env) {
    const bot = await env.control.createAccount<{ authToken: string }>('viber', { name: 'Contract Bot' });
    const config = viberAdapter.configSchema.parse({
      authToken: bot.authToken,
      botName: 'Vestnik',
      apiBaseUrl: `${env.sandbox.sandbox.url}/viber/pa`,
    });
    const adapter = viberAdapter.create(config, {
      logger: pino({ level: 'silent' }),
      webhook: { url: env.receiver.url, key: env.receiver.key },
      emit: env.receiver.emit,
      requestTimeoutMs: 2_000,
    });
    // set_webhook makes Viber call the webhook, which must already answer through the adapter.
    env.receiver.adapter = adapter;
    const connected = await adapter.connect();
    if (connected.webhook !== 'registered') throw new Error(`connect failed: ${JSON.stringify(connected)}`);
    return adapter;
  },
  async createRecipient(env) {
    const user = await env.control.createUser({ phone: '+79161234567', name: 'Анна' });
    const externalUserId = user.accounts.viber?.id;
    if (!externalUserId) throw new Error('the virtual user has no Viber account');
    return { user, recipient: { kind: 'user', externalUserId }, externalUserId };
  },
  tamper: (request) => {
    const rawBody = Buffer.from(request.rawBody);
    rawBody[rawBody.length - 2] = (rawBody[rawBody.length - 2] ?? 0) ^ 0x01;
    return { ...request, rawBody };
  },
  expectedRetryAfterMs: viberRateLimitDelayMs,
});
