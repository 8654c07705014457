import type { SandboxPlatform } from '../../src/sandbox/sandbox-platform';
import { userMessageInput } from '../../src/sandbox/sandbox-platform';
import type { Sandbox } from '../../src/sandbox/sandbox-server';
import { createUserInput, type VirtualUser } from '../../src/sandbox/virtual-users';

/** A bot of the sandbox's Telegram simulator, as @BotFather would hand it out. */
export interface SandboxBot {
  botId: string;
  token: string;
  /** `<sandbox>/telegram`: the Bot API root to point a client at. */
  apiRoot: string;
}

type TelegramSimulator = SandboxPlatform & { userMessage: NonNullable<SandboxPlatform['userMessage']> };

function telegramOf(sandbox: Sandbox): TelegramSimulator {
  const platform = sandbox.platforms.get('telegram');
  if (!platform?.userMessage) throw new Error('bench: the sandbox has no Telegram simulator');
  return platform as TelegramSimulator;
}

export async function createSandboxBot(sandbox: Sandbox): Promise<SandboxBot> {
  const account = (await telegramOf(sandbox).createAccount({})) as Record<string, unknown>;
  const { token, botId, apiRoot } = account;
  if (typeof token !== 'string' || typeof apiRoot !== 'string')
    throw new Error(`bench: unexpected Telegram account ${JSON.stringify(account)}`);
  return { botId: String(botId), token, apiRoot };
}

/** `count` sandbox users with a Telegram account each, phones `+7<area>NNNNNNN`. */
export function telegramUsers(sandbox: Sandbox, area: string, count: number): VirtualUser[] {
  return Array.from({ length: count }, (_, i) =>
    sandbox.context.users.create(
      createUserInput.parse({
        phone: `+7${area}${String(i).padStart(7, '0')}`,
        name: `Покупатель ${i}`,
        accounts: { telegram: true },
      }),
    ),
  );
}

/** The user's Telegram id: their private chat's id with every bot. */
export function chatIdOf(user: VirtualUser): string {
  const id = user.accounts.telegram?.id;
  if (id === undefined) throw new Error(`bench: user ${user.id} has no Telegram account`);
  return id;
}

/**
 * The user writes `text` to the bot, in process: the simulator stores the message and POSTs the
 * update to the bot's webhook at once (no I/O before that request). Resolves once the webhook
 * answered (with `false` when the simulator refused).
 */
export function writeToBot(
  sandbox: Sandbox,
  bot: SandboxBot,
  user: VirtualUser,
  text: string,
): Promise<boolean> {
  const input = userMessageInput.parse({ platform: 'telegram', text, to: bot.botId });
  return telegramOf(sandbox)
    .userMessage(user, input)
    .then(
      () => true,
      () => false,
    );
}

/** Points the bot's webhook at `url` (what a bot's own code does at start), through the Bot API. */
export async function setWebhook(bot: SandboxBot, url: string, secretToken: string): Promise<void> {
  const response = await fetch(`${bot.apiRoot}/bot${bot.token}/setWebhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, secret_token: secretToken, allowed_updates: ['message'] }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`bench: setWebhook answered ${response.status}: ${text}`);
}

/** The bot's webhook URL as the simulator holds it (null: none set yet). */
export function webhookOf(sandbox: Sandbox, bot: SandboxBot): string | null {
  const info = telegramOf(sandbox).info() as { bots?: Array<{ id: number; webhook: string | null }> };
  return info.bots?.find((b) => String(b.id) === bot.botId)?.webhook ?? null;
}
