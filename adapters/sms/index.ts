import type { AdapterDefinition } from '../contract';
import { smsCapabilities } from './capabilities';
import { type SmsConfig, smsConfigSchema } from './config-schema';
import { SmsAdapter } from './sms-adapter';

export { segmentCount } from './message-encoding';

/**
 * SMS over SMPP 3.4 (the `smpp` package): one transceiver bind per channel, submit_sm with GSM-7 /
 * UCS-2 and concatenation, delivery receipts and MO messages pushed through `context.emit`.
 */
export const smsAdapter: AdapterDefinition<SmsConfig> = {
  kind: 'sms',
  title: 'SMS (SMPP 3.4)',
  configSchema: smsConfigSchema,
  secretFields: ['password'],
  connectHint:
    'Ask your SMS provider for an SMPP 3.4 transceiver account (host, port, system_id, password ≤ 8 characters) and a registered sender name; whitelist our IP if they require it.',
  capabilities: smsCapabilities,
  holdsConnection: true,
  exampleConfig: {
    host: 'smpp.provider.example',
    port: 2775,
    systemId: 'shop',
    password: 'secret8',
    sourceAddr: 'Shop',
  },
  create: (config, context) => new SmsAdapter(config, context),
};
