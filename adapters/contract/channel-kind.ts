/** Every channel type Vestnik speaks. The registry (`adapters/registry.ts`) has one entry per kind. */
export const channelKinds = [
  'vk',
  'vk-notify',
  'ok-notify',
  'ok',
  'telegram',
  'viber',
  'whatsapp',
  'sms',
  'email',
] as const;

export type ChannelKind = (typeof channelKinds)[number];
