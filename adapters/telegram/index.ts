import type { AdapterDefinition } from '../contract';
import { telegramCapabilities } from './capabilities';
import { type TelegramConfig, telegramConfigSchema, telegramSecretFields } from './config-schema';
import { TelegramAdapter } from './telegram-adapter';

export type { TelegramConfig } from './config-schema';

/** Telegram bots through the Bot API (telegraf): webhook with a secret token, inline keyboards, deleteMessage. */
export const telegramAdapter: AdapterDefinition<TelegramConfig> = {
  kind: 'telegram',
  title: 'Telegram bot',
  configSchema: telegramConfigSchema,
  secretFields: telegramSecretFields,
  connectHint:
    'Create a bot with @BotFather (/newbot), paste its token as botToken; Vestnik registers the webhook itself.',
  capabilities: () => telegramCapabilities,
  exampleConfig: { botToken: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw' },
  create: (config, context) => new TelegramAdapter(config, context),
};
