import { whatsappAdapter } from '../../adapters/whatsapp';
import { throughputRetryAfterMs } from '../../adapters/whatsapp/error-mapping';
import { describeAdapterContract } from './helpers/adapter-contract';

interface WhatsappSandboxAccount {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  apiBaseUrl: string;
}

describeAdapterContract('whatsapp', {
  simulator: 'whatsapp',
  receivedOn: 'whatsapp',
  async createAdapter(env) {
    const account = await env.control.createAccount<WhatsappSandboxAccount>('whatsapp');
    const adapter = whatsappAdapter.create(
      whatsappAdapter.configSchema.parse({
        phoneNumberId: account.phoneNumberId,
        wabaId: account.wabaId,
        accessToken: account.accessToken,
        appSecret: account.appSecret,
        apiBaseUrl: account.apiBaseUrl,
      }),
      {
        logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
        webhook: { url: env.receiver.url, key: env.receiver.key },
        emit: env.receiver.emit,
        requestTimeoutMs: 2_000,
      },
    );
    // Meta verifies the callback (GET hub.challenge) while connect() subscribes it, so the
    // receiver must already answer with this adapter.
    env.receiver.adapter = adapter;
    const connected = await adapter.connect();
    if (connected.webhook !== 'manual') throw new Error(`connect: ${JSON.stringify(connected)}`);
    return adapter;
  },
  async createRecipient(env) {
    // Wrote within the last 24 hours: the customer service window is open.
    const user = await env.control.createUser({
      phone: '+79161234567',
      name: 'Анна',
      accounts: { whatsapp: { reachable: true } },
    });
    const externalUserId = user.accounts.whatsapp?.id ?? '';
    return { user, recipient: { kind: 'user', externalUserId }, externalUserId };
  },
  tamper: (request) => {
    const rawBody = Buffer.from(request.rawBody);
    const index = Math.floor(rawBody.length / 2);
    rawBody[index] = (rawBody[index] ?? 0) ^ 0x01;
    return { ...request, rawBody };
  },
  // The Cloud API's 130429 carries no delay: the adapter's documented fixed delay applies.
  expectedRetryAfterMs: throughputRetryAfterMs,
});
