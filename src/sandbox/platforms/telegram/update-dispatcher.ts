import type { SandboxContext } from '../../sandbox-platform';
import type { BotWebhook, SimulatedBot } from './bot-registry';
import type { WireUpdate, WireUpdatePayload } from './wire-types';

/** setWebhook `allowed_updates` absent: "all update types except chat_member, message_reaction, and message_reaction_count". */
const notSentByDefault = ['chat_member', 'message_reaction', 'message_reaction_count'];
/** Telegram keeps undelivered updates for 24 hours; the sandbox keeps at most this many. */
const maxPendingUpdates = 1000;

export const secretTokenHeader = 'X-Telegram-Bot-Api-Secret-Token';

function wanted(webhook: BotWebhook | null, updateType: string): boolean {
  if (!webhook) return true;
  return webhook.allowedUpdates
    ? webhook.allowedUpdates.includes(updateType)
    : !notSentByDefault.includes(updateType);
}

/**
 * Numbers updates (`update_id` grows by one per bot) and POSTs them as JSON to the bot's webhook
 * with the secret token header, through the sandbox callback sender (so drop / duplicate faults
 * apply). Without a webhook, updates wait until one is set.
 */
export class UpdateDispatcher {
  constructor(private readonly context: SandboxContext) {}

  async dispatch(bot: SimulatedBot, payload: WireUpdatePayload): Promise<void> {
    const updateType = Object.keys(payload)[0] ?? '';
    if (!wanted(bot.webhook, updateType)) return;
    const update: WireUpdate = { update_id: bot.nextUpdateId, ...payload };
    bot.nextUpdateId += 1;
    if (!bot.webhook) {
      bot.pendingUpdates.push(update);
      bot.pendingUpdates.splice(0, Math.max(0, bot.pendingUpdates.length - maxPendingUpdates));
      return;
    }
    await this.post(bot.webhook, update);
  }

  /** Delivers the updates that waited for a webhook, in order. */
  async flush(bot: SimulatedBot): Promise<void> {
    const webhook = bot.webhook;
    if (!webhook) return;
    for (const update of bot.pendingUpdates.splice(0)) await this.post(webhook, update);
  }

  private async post(webhook: BotWebhook, update: WireUpdate): Promise<void> {
    await this.context.callbacks.send('telegram', {
      url: webhook.url,
      headers: webhook.secretToken ? { [secretTokenHeader]: webhook.secretToken } : {},
      body: JSON.stringify(update),
    });
  }
}
