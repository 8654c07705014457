import type { AdapterDefinition, ChannelKind } from './contract';
import { emailAdapter } from './email';
import { okAdapter } from './ok';
import { okNotifyAdapter } from './ok-notify';
import { smsAdapter } from './sms';
import { telegramAdapter } from './telegram';
import { viberAdapter } from './viber';
import { vkAdapter } from './vk';
import { vkNotifyAdapter } from './vk-notify';
import { whatsappAdapter } from './whatsapp';

/**
 * Every adapter, by channel kind. The core builds adapters only through this table: no
 * `switch (channel)` anywhere else.
 */
export const adapterRegistry: Readonly<Record<ChannelKind, AdapterDefinition>> = {
  vk: vkAdapter,
  'vk-notify': vkNotifyAdapter,
  'ok-notify': okNotifyAdapter,
  ok: okAdapter,
  telegram: telegramAdapter,
  viber: viberAdapter,
  whatsapp: whatsappAdapter,
  sms: smsAdapter,
  email: emailAdapter,
};
