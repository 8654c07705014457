import { z } from 'zod';
import { botApiErrors } from './bot-api-errors';
import type { SimulatedBot } from './bot-registry';
import type { MethodAnswer, MethodCall, MethodHandler, TelegramSimulatorDeps } from './simulator-deps';

/** setWebhook `secret_token`: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed." */
const secretTokenPattern = /^[A-Za-z0-9_-]{1,256}$/;
const allowedUpdatesSchema = z.array(z.string());

/**
 * The real API wants an HTTPS URL on port 443, 80, 88 or 8443. The sandbox also takes plain
 * http:// on any port, because the business side runs on 127.0.0.1 without TLS in tests and demos.
 */
function checkWebhookUrl(url: string): void {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol)) throw botApiErrors.webhookNeedsUrl();
}

function allowedUpdates(call: MethodCall): string[] | null | undefined {
  if (!call.params.has('allowed_updates')) return undefined;
  const parsed = allowedUpdatesSchema.safeParse(call.params.json('allowed_updates'));
  if (!parsed.success) throw botApiErrors.jsonUnparsable('allowed updates');
  return parsed.data.length === 0 ? null : parsed.data;
}

function removeWebhook(bot: SimulatedBot, dropPending: boolean): MethodAnswer {
  const had = bot.webhook !== null;
  bot.webhook = null;
  if (dropPending) bot.pendingUpdates.length = 0;
  return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
}

/** getMe, setWebhook, deleteWebhook, getWebhookInfo (https://core.telegram.org/bots/api#getting-updates). */
export function webhookMethods(deps: TelegramSimulatorDeps): Record<string, MethodHandler> {
  const setWebhook: MethodHandler = (call) => {
    const { bot, params } = call;
    const url = params.string('url') ?? '';
    if (url === '') return removeWebhook(bot, params.boolean('drop_pending_updates'));
    checkWebhookUrl(url);
    const secretToken = params.string('secret_token') ?? null;
    if (secretToken !== null && !secretTokenPattern.test(secretToken))
      throw botApiErrors.secretTokenInvalid();
    const updates = allowedUpdates(call);
    const unchanged = bot.webhook?.url === url && bot.webhook.secretToken === secretToken;
    // "If not specified, the previous setting will be used."
    bot.webhook = {
      url,
      secretToken,
      allowedUpdates: updates === undefined ? (bot.webhook?.allowedUpdates ?? null) : updates,
    };
    if (params.boolean('drop_pending_updates')) bot.pendingUpdates.length = 0;
    deps.context.later(0, () => deps.updates.flush(bot));
    return { result: true, description: unchanged ? 'Webhook is already set' : 'Webhook was set' };
  };
  return {
    getme: ({ bot }) => ({
      result: {
        id: bot.id,
        is_bot: true,
        first_name: bot.firstName,
        username: bot.username,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      },
    }),
    setwebhook: setWebhook,
    deletewebhook: ({ bot, params }) => removeWebhook(bot, params.boolean('drop_pending_updates')),
    getwebhookinfo: ({ bot }) => ({
      result: {
        url: bot.webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: bot.pendingUpdates.length,
        ...(bot.webhook ? { max_connections: 40 } : {}),
        ...(bot.webhook?.allowedUpdates ? { allowed_updates: bot.webhook.allowedUpdates } : {}),
      },
    }),
  };
}
