import { z } from 'zod';

/** The real Viber REST API base; viber-bot 1.0.18 hardcodes it as `API_URL` in lib/viber-bot.js. */
export const viberApiBaseUrl = 'https://chatapi.viber.com/pa';

/** Viber REST API, send_message: `sender.name` — "Required. Max 28 characters". */
export const viberSenderNameMaxLength = 28;

/** The stored configuration of one Viber bot channel. */
export interface ViberConfig extends Record<string, unknown> {
  /** The bot's authentication token ("app key"); a secret. */
  authToken: string;
  /** Sender name shown to the user on every message. */
  botName: string;
  /** Sender avatar URL (Viber: at most 100 KB, 720×720 recommended). */
  avatarUrl?: string | undefined;
  /** API base URL; the sandbox serves `<sandbox>/viber/pa`. */
  apiBaseUrl: string;
}

/** zod schema of `ViberConfig`; `authToken` is listed in `secretFields`. */
export const viberConfigSchema: z.ZodType<ViberConfig> = z
  .object({
    authToken: z.string().trim().min(10, 'authToken is the bot token from the Viber admin panel').max(200),
    botName: z.string().trim().min(1).max(viberSenderNameMaxLength),
    avatarUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    apiBaseUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .transform((url) => url.replace(/\/+$/, ''))
      .default(viberApiBaseUrl),
  })
  .strict();
