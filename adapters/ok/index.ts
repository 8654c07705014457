import type { AdapterDefinition } from '../contract';
import { okCapabilities } from './capabilities';
import { type OkConfig, okConfigSchema, okSecretFields } from './config-schema';
import { OkAdapter } from './ok-adapter';

/** Odnoklassniki groups through the OK Bot API (Graph API `/graph/me/...`) with webhooks. */
export const okAdapter: AdapterDefinition<OkConfig> = {
  kind: 'ok',
  title: 'Odnoklassniki (OK) group messages',
  configSchema: okConfigSchema,
  secretFields: okSecretFields,
  connectHint:
    'OK group → Settings → Messages → "Work with API" → "Get access key"; paste it as accessToken. Vestnik subscribes the webhook itself.',
  capabilities: () => okCapabilities,
  exampleConfig: { accessToken: 'tkn1group-access-key' },
  create: (config, context) => new OkAdapter(config, context),
};
