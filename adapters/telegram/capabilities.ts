import type { ChannelCapabilities } from '../contract';

/**
 * Telegram Bot API limits, from the official documentation:
 * - text: sendMessage `text` "1-4096 characters after entities parsing"
 *   (https://core.telegram.org/bots/api#sendmessage);
 * - buttons: InlineKeyboardButton `callback_data` "1-64 bytes"
 *   (https://core.telegram.org/bots/api#inlinekeyboardbutton); at most 100 buttons and 8 per row
 *   (the server's inline keyboard limits, https://core.telegram.org/bots/api#inlinekeyboardmarkup
 *   and Bot API FAQ); labels kept to 64 characters so they show without truncation;
 * - images: sendPhoto "The photo must be at most 10 MB in size" (https://core.telegram.org/bots/api#sendphoto);
 *   one image per message here (we do not use sendMediaGroup);
 * - initiation: "bots can't initiate conversations with users. A user must either add them to a group
 *   or send them a message first" (https://core.telegram.org/bots/faq);
 * - rate: "no more than 30 messages per second" to different users (https://core.telegram.org/bots/faq,
 *   "My bot is hitting limits, how do I avoid this?");
 * - withdraw: deleteMessage works for the bot's own messages "sent less than 48 hours ago"
 *   (https://core.telegram.org/bots/api#deletemessage);
 * - reports: the Bot API has no delivery or read receipts.
 */
export const telegramCapabilities: ChannelCapabilities = {
  text: { maxLength: 4096 },
  buttons: { kinds: ['callback', 'link', 'reply'], max: 100, maxPerRow: 8, maxLabelLength: 64 },
  images: { max: 1, formats: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * 1024 * 1024 },
  reports: { delivered: false, read: false },
  initiation: 'after-user-wrote',
  inbound: true,
  platformTemplates: false,
  rateLimit: { perSecond: 30 },
  withdraw: true,
};

/** sendPhoto `caption`: "0-1024 characters after entities parsing" (https://core.telegram.org/bots/api#sendphoto). */
export const maxCaptionLength = 1024;

/** InlineKeyboardButton `callback_data`: "1-64 bytes". */
export const maxCallbackDataBytes = 64;
