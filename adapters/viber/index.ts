import type { AdapterDefinition } from '../contract';
import { viberCapabilities } from './capabilities';
import { type ViberConfig, viberConfigSchema } from './config-schema';
import { ViberAdapter } from './viber-adapter';

/** The Viber bot channel (viber-bot over the Viber REST bot API, callbacks on our webhook). */
export const viberAdapter: AdapterDefinition<ViberConfig> = {
  kind: 'viber',
  title: 'Viber bot',
  configSchema: viberConfigSchema,
  secretFields: ['authToken'],
  connectHint:
    'Paste the bot token from the Viber admin panel (Settings → Bots → Edit info → Your app key); Vestnik calls set_webhook for you.',
  capabilities: () => viberCapabilities,
  exampleConfig: { authToken: '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9', botName: 'Shop' },
  create: (config, context) => new ViberAdapter(config, context),
};
