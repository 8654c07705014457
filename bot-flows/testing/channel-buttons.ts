import type { ChannelCapabilities, ChannelKind } from '../../adapters/contract';
import { maxButtonLabelLength, maxButtons } from '../../adapters/email/capabilities';
import { okCapabilities } from '../../adapters/ok/capabilities';
import { telegramCapabilities } from '../../adapters/telegram/capabilities';
import { viberCapabilities } from '../../adapters/viber/capabilities';
import { vkCapabilities } from '../../adapters/vk/capabilities';
import { notifyCapabilities } from '../../adapters/vk-notify/capabilities';
import { whatsappCapabilities } from '../../adapters/whatsapp/capabilities';

/** What `renderReply` needs of a channel. */
export type ButtonCapabilities = Pick<ChannelCapabilities, 'buttons'>;

/**
 * The buttons each channel type carries, taken from the adapters' capability files (plain data,
 * so neither the tools nor the flows load a platform SDK). SMS and e-mail compute their
 * capabilities from a channel's settings, which only change limits that do not touch buttons: SMS
 * never has buttons, e-mail only links (`adapters/sms/capabilities.ts`,
 * `adapters/email/capabilities.ts`; a unit test compares this table with the registry).
 */
const buttonsByChannel: Readonly<Record<ChannelKind, ButtonCapabilities>> = {
  vk: vkCapabilities,
  ok: okCapabilities,
  telegram: telegramCapabilities,
  viber: viberCapabilities,
  whatsapp: whatsappCapabilities(),
  sms: { buttons: null },
  email: { buttons: { kinds: ['link'], max: maxButtons, maxLabelLength: maxButtonLabelLength } },
  'vk-notify': notifyCapabilities,
  'ok-notify': notifyCapabilities,
};

/** The button capabilities of a channel type, for rendering a bot's replies as that channel would. */
export function buttonCapabilities(channel: ChannelKind): ButtonCapabilities {
  return buttonsByChannel[channel];
}
