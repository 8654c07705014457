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

const kinds: ReadonlySet<string> = new Set(channelKinds);

/** Whether a string (a route step, a query filter) names a channel type rather than a channel id. */
export const isChannelKind = (value: string): value is ChannelKind => kinds.has(value);
