import type { AdapterDefinition } from '../contract';
import { whatsappCapabilities } from './capabilities';
import { type WhatsappConfig, whatsappConfigSchema, whatsappSecretFields } from './config-schema';
import { WhatsappChannel } from './whatsapp-channel';

export type { WhatsappConfig } from './config-schema';

/** WhatsApp Business Cloud API (Graph API over HTTP, no SDK). See README.md. */
export const whatsappAdapter: AdapterDefinition<WhatsappConfig> = {
  kind: 'whatsapp',
  title: 'WhatsApp (Cloud API)',
  configSchema: whatsappConfigSchema,
  secretFields: whatsappSecretFields,
  connectHint:
    'Meta App Dashboard → WhatsApp → API Setup: copy the phone number id, WABA id and a system-user token; paste the app secret; subscribe the "messages" webhook field.',
  capabilities: () => whatsappCapabilities(),
  exampleConfig: {
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
    accessToken: 'EAAG-system-user-token',
    appSecret: 'app-secret',
    verifyToken: 'pasted-in-meta-dashboard',
  },
  create: (config, context) => new WhatsappChannel(config, context),
};
