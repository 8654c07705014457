import pino from 'pino';
import type { ChannelAdapter } from '../../adapters/contract';
import { emailAdapter } from '../../adapters/email';
import { type ContractEnvironment, describeAdapterContract } from './helpers/adapter-contract';

interface SmtpAccount {
  user: string;
  password: string;
  host: string;
  port: number;
}

async function createEmailAdapter(env: ContractEnvironment): Promise<ChannelAdapter> {
  const account = await env.control.createAccount<SmtpAccount>('email', { user: 'shop-relay' });
  const config = emailAdapter.configSchema.parse({
    host: account.host,
    port: account.port,
    // The sandbox has no certificates offline: no STARTTLS (see src/sandbox/platforms/email).
    requireTls: false,
    user: account.user,
    password: account.password,
    from: { address: 'noreply@shop.example', name: 'Магазин' },
  });
  const adapter = emailAdapter.create(config, {
    logger: pino({ level: 'silent' }),
    webhook: { url: env.receiver.url, key: env.receiver.key },
    emit: env.receiver.emit,
    requestTimeoutMs: 5_000,
  });
  expect(await adapter.connect()).toEqual({ webhook: 'not-needed' });
  return adapter;
}

describeAdapterContract('email', {
  simulator: 'email',
  receivedOn: 'email',
  createAdapter: createEmailAdapter,
  createRecipient: async (env) => {
    const user = await env.control.createUser({
      phone: '+79161234567',
      name: 'Анна Петрова',
      email: 'anna@mail.example',
    });
    return {
      user,
      recipient: { kind: 'email', address: 'anna@mail.example', name: 'Анна Петрова' },
      externalUserId: 'anna@mail.example',
    };
  },
  // E-mail has no webhooks to tamper with.
  tamper: null,
  // The sandbox throttles with Gmail's 450 4.2.1 reply naming the delay: "…resend your message in 7 seconds."
  expectedRetryAfterMs: 7_000,
});
