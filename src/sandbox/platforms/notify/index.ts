import { parseControlInput, SandboxInputError, type SandboxPlatformFactory } from '../../sandbox-platform';
import { rateLimitError, sendGatewayError } from './gateway-errors';
import { NotifyAccountStore } from './notify-accounts';
import { NotifyDelivery } from './notify-delivery';
import { createNotifyRouter, decideModeration, templateRecord } from './notify-routes';
import { moderate } from './template-moderation';
import { notifyAccountInput } from './wire-schemas';

/**
 * The VK / OK notification gateway (service notifications by phone number), as resellers expose
 * it. Wire format: `adapters/vk-notify/README.md`. Deliveries land in the virtual user's `received`
 * under `vk` or `ok` (the route) with `via: 'notify'`.
 */
export const notifySimulator: SandboxPlatformFactory = (context) => {
  const accounts = new NotifyAccountStore(context.random);
  const delivery = new NotifyDelivery(context, accounts);
  const apiBaseUrl = (): string => `${context.baseUrl()}/notify`;
  return {
    name: 'notify',
    mountPath: '/notify',
    router: createNotifyRouter({ context, accounts, delivery }),
    rateLimitAnswer: (res, retryAfterSeconds) => sendGatewayError(res, rateLimitError(retryAfterSeconds)),
    createAccount: async (body) => {
      const input = parseControlInput(notifyAccountInput, body);
      for (const template of input.templates) {
        const verdict = moderate(template);
        if (verdict) throw new SandboxInputError(`template ${template.name}: ${verdict.comment}`, 422);
      }
      const account = accounts.create(input.name, input.rateLimitPerSecond);
      for (const template of input.templates) {
        const record = templateRecord(template, context.clock.now().toISOString());
        account.templates.set(record.name, record);
        decideModeration(account, record);
      }
      return {
        accountId: account.id,
        name: account.name,
        apiKey: account.apiKey,
        callbackSecret: account.callbackSecret,
        apiBaseUrl: apiBaseUrl(),
        rateLimitPerSecond: account.rateLimitPerSecond,
        templates: [...account.templates.values()].map(({ name, status }) => ({ name, status })),
      };
    },
    read: (user, input) => delivery.read(user, input.messageId),
    info: () => ({ apiBaseUrl: apiBaseUrl(), accounts: accounts.count() }),
  };
};
