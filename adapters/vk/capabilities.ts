import type { ChannelCapabilities } from '../contract';

/**
 * What a VK community can carry in community messages.
 * - Text: 4096 characters per message (dev.vk.com, messages.send: `message`).
 * - Buttons: inline keyboard, at most 10 buttons, 5 per row, 6 rows; labels up to 40 characters
 *   (dev.vk.com/ru/api/bots/development/keyboard, "Inline-отображение"; vk-io KeyboardBuilder).
 *   `text` buttons answer with a message carrying `payload` (reply), `callback` buttons raise a
 *   `message_event` (callback), `open_link` opens a URL (link).
 * - Images: `null` — photo upload (photos.getMessagesUploadServer → upload → saveMessagesPhoto)
 *   is not implemented yet; send a link instead.
 * - Reports: VK has no delivery receipts; `message_read` reports reads.
 * - Initiation: only users who allowed community messages or wrote first (error 901 otherwise).
 * - Rate limit: 20 API requests per second with a community token (dev.vk.com/ru/api/api-requests).
 * - Withdraw: messages.delete with `delete_for_all` works within 24 hours.
 */
export const vkCapabilities: ChannelCapabilities = {
  text: { maxLength: 4096 },
  buttons: { kinds: ['reply', 'callback', 'link'], max: 10, maxPerRow: 5, maxLabelLength: 40 },
  images: null,
  reports: { delivered: false, read: true },
  initiation: 'after-user-wrote',
  inbound: true,
  platformTemplates: false,
  rateLimit: { perSecond: 20 },
  withdraw: true,
};
