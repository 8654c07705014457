import pino from 'pino';
import { smsAdapter } from '../../adapters/sms';
import { throttleRetryAfterMs } from '../../adapters/sms/error-mapping';
import { describeAdapterContract } from './helpers/adapter-contract';

interface SmscAccountJson {
  systemId: string;
  password: string;
  host: string;
  port: number;
}

describeAdapterContract('sms', {
  simulator: 'sms',
  receivedOn: 'sms',
  async createAdapter({ control, receiver }) {
    const account = await control.createAccount<SmscAccountJson>('sms');
    const config = smsAdapter.configSchema.parse({
      host: account.host,
      port: account.port,
      systemId: account.systemId,
      password: account.password,
      sourceAddr: 'Vestnik',
      enquireLinkSeconds: 5,
    });
    const adapter = smsAdapter.create(config, {
      logger: pino({ level: 'silent' }),
      webhook: { url: receiver.url, key: receiver.key },
      emit: receiver.emit,
      requestTimeoutMs: 2_000,
    });
    const connected = await adapter.connect();
    if (connected.webhook !== 'not-needed') throw new Error(`bind failed: ${JSON.stringify(connected)}`);
    return adapter;
  },
  async createRecipient({ control }) {
    const user = await control.createUser({ phone: '+79161230001', name: 'Анна' });
    return { user, recipient: { kind: 'phone', phone: user.phone }, externalUserId: user.phone };
  },
  tamper: null,
  expectedRetryAfterMs: throttleRetryAfterMs,
});
