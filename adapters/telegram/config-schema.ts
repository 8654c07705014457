import { z } from 'zod';

/**
 * A bot token as @BotFather issues it: the bot's numeric id, a colon, then at least 30 characters
 * of `[A-Za-z0-9_-]` (35 today). https://core.telegram.org/bots/api#authorizing-your-bot
 */
export const botTokenPattern = /^\d+:[A-Za-z0-9_-]{30,}$/;

/** What a Telegram channel stores. `botToken` is secret (encrypted at rest, never echoed whole). */
export type TelegramConfig = {
  botToken: string;
  /** Bot API base URL; `https://api.telegram.org` when absent. The sandbox serves `<sandbox>/telegram`. */
  apiRoot?: string;
};

export const telegramConfigSchema: z.ZodType<TelegramConfig> = z
  .object({
    botToken: z.string().regex(botTokenPattern, 'botToken must look like 123456789:AA… (from @BotFather)'),
    apiRoot: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Bot API base URL override (a local Bot API server or the Vestnik sandbox)'),
  })
  .strict();

/** Fields encrypted at rest and masked in API answers. */
export const telegramSecretFields = ['botToken'] as const;
