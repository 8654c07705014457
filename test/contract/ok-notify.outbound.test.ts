import type { ChannelAdapter, OutboundContent, SendResult } from '../../adapters/contract';
import { okNotifyAdapter } from '../../adapters/ok-notify';
import { vkNotifyAdapter } from '../../adapters/vk-notify';
import { type SandboxUser, startTestSandbox, type TestSandbox } from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

interface NotifyAccountJson {
  apiKey: string;
  callbackSecret: string;
  apiBaseUrl: string;
}

const template = {
  name: 'payment_due',
  text: 'Счёт №#invoice# ждёт оплаты',
  buttons: [{ type: 'link', label: 'Оплатить', url: 'https://shop.example/pay' }],
};
const content: OutboundContent = {
  type: 'template',
  template: 'payment_due',
  params: { invoice: '77' },
  text: 'Счёт №77 ждёт оплаты',
};

describe('ok-notify outbound: the same gateway, route ok', () => {
  let sandbox: TestSandbox;
  let receiver: WebhookReceiver;
  let ok: ChannelAdapter;
  let vk: ChannelAdapter;
  let sequence = 0;

  const newUser = (accounts: Record<string, unknown>): Promise<SandboxUser> =>
    sandbox.control.createUser({ phone: `+7916777${String(++sequence).padStart(4, '0')}`, accounts });
  const send = (via: ChannelAdapter, user: SandboxUser | string): Promise<SendResult> =>
    via.send({ kind: 'phone', phone: typeof user === 'string' ? user : user.phone }, content, {
      messageId: `msg-ok-${++sequence}`,
    });
  const sentId = (result: SendResult): string => {
    if (!result.ok) throw new Error(`send failed: ${JSON.stringify(result.failure)}`);
    return result.externalMessageId;
  };
  const waitForStatus = (id: string, status: string) =>
    receiver.waitFor('status-update', (event) => event.externalMessageId === id && event.status === status);

  beforeAll(async () => {
    sandbox = await startTestSandbox('ok-notify-outbound');
    receiver = new WebhookReceiver();
    await receiver.start();
    const account = await sandbox.control.createAccount<NotifyAccountJson>('notify', {
      name: 'Магазин',
      templates: [template],
    });
    const context = {
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      webhook: { url: receiver.url, key: receiver.key },
      emit: receiver.emit,
      requestTimeoutMs: 2_000,
    };
    const { apiKey, callbackSecret, apiBaseUrl } = account;
    const config = okNotifyAdapter.configSchema.parse({ apiKey, callbackSecret, apiBaseUrl });
    ok = okNotifyAdapter.create(config, context);
    vk = vkNotifyAdapter.create(config, context);
    receiver.adapter = ok;
  });
  afterAll(async () => {
    await receiver?.close();
    await sandbox?.close();
  });

  it('posts route "ok" and the user receives the text on OK, without the template buttons', async () => {
    const user = await newUser({ ok: true });
    const id = sentId(await send(ok, user));
    const request = (await sandbox.control.requests('notify')).at(-1);
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/notify',
      body: { phone: user.phone, route: 'ok', template: 'payment_due', params: { invoice: '77' } },
    });
    expect(await sandbox.control.received(user.id, 'ok')).toEqual([
      expect.objectContaining({
        platform: 'ok',
        messageId: id,
        via: 'notify',
        text: 'Счёт №77 ждёт оплаты',
        buttons: [],
        template: { name: 'payment_due', params: { invoice: '77' } },
      }),
    ]);
    expect(await sandbox.control.received(user.id, 'vk')).toEqual([]);
    await waitForStatus(id, 'delivered');
  });

  it('is undelivered (no_account) to a user who is only on VK', async () => {
    const user = await newUser({ vk: true });
    const event = await waitForStatus(sentId(await send(ok, user)), 'undelivered');
    expect(event.reason).toBe('no_account');
  });

  it('counts the 5-per-day limit per network: five on VK leave OK open', async () => {
    const user = await newUser({ vk: true, ok: true });
    const vkIds = [];
    for (let attempt = 0; attempt < 6; attempt += 1) vkIds.push(sentId(await send(vk, user)));
    expect((await waitForStatus(vkIds[5] ?? '', 'undelivered')).reason).toBe('limit_exceeded');
    await waitForStatus(sentId(await send(ok, user)), 'delivered');
  });
});
