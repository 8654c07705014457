import { okNotifyAdapter } from '../../adapters/ok-notify';
import { vkNotifyAdapter } from '../../adapters/vk-notify';
import { describeAdapterContract } from './helpers/adapter-contract';

const template = { name: 'order_shipped', text: 'Ваш заказ №#order# передан в доставку' };

/** Both routes of the notification gateway, held to the same contract. */
const routes = [
  { definition: vkNotifyAdapter, route: 'vk', phone: '+79161230001' },
  { definition: okNotifyAdapter, route: 'ok', phone: '+79161230002' },
] as const;

for (const { definition, route, phone } of routes) {
  describeAdapterContract(definition.kind, {
    simulator: 'notify',
    receivedOn: route,
    async createAdapter({ control, receiver }) {
      const account = await control.createAccount<{
        apiKey: string;
        callbackSecret: string;
        apiBaseUrl: string;
      }>('notify', { name: 'Магазин Вестник', templates: [template] });
      const config = {
        apiKey: account.apiKey,
        callbackSecret: account.callbackSecret,
        apiBaseUrl: account.apiBaseUrl,
      };
      const adapter = definition.create(definition.configSchema.parse(config), {
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        webhook: { url: receiver.url, key: receiver.key },
        emit: receiver.emit,
        requestTimeoutMs: 2_000,
      });
      await adapter.connect();
      return adapter;
    },
    async createRecipient({ control }) {
      const user = await control.createUser({ phone, accounts: { [route]: true } });
      return { user, recipient: { kind: 'phone', phone: user.phone }, externalUserId: user.phone };
    },
    tamper: (request) => ({ ...request, headers: { ...request.headers, 'x-signature': '0'.repeat(64) } }),
    expectedRetryAfterMs: 7000,
    textContent: {
      type: 'template',
      template: template.name,
      params: { order: '1042' },
      text: 'Ваш заказ №1042 передан в доставку',
    },
  });
}
