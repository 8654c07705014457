import type { AdapterDefinition, ChannelKind } from '../contract';
import { notifyCapabilities } from './capabilities';
import { type NotifyConfig, notifyConfigSchema, notifySecretFields } from './config-schema';
import { createNotifyAdapter } from './notify-adapter';
import type { NotifyRoute } from './wire-format';

export interface NotifyChannelSpec {
  kind: Extract<ChannelKind, 'vk-notify' | 'ok-notify'>;
  route: NotifyRoute;
  title: string;
  connectHint: string;
}

/** A registry entry for one route of the notification gateway (`vk-notify` and `ok-notify` share it). */
export function defineNotifyAdapter(spec: NotifyChannelSpec): AdapterDefinition<NotifyConfig> {
  return {
    kind: spec.kind,
    title: spec.title,
    configSchema: notifyConfigSchema,
    secretFields: notifySecretFields,
    connectHint: spec.connectHint,
    exampleConfig: {
      apiKey: 'gateway-api-key',
      callbackSecret: 'callback-signing-secret',
      apiBaseUrl: 'https://notify-gateway.example/notify',
    },
    capabilities: () => notifyCapabilities,
    create: (config, context) => createNotifyAdapter(spec.kind, spec.route, config, context),
  };
}
