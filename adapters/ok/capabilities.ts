import type { ChannelCapabilities } from '../contract';

/**
 * OK Bot API limits.
 *
 * - Text: the OK docs (apiok.ru graph.user.messages) do not state a limit. OK group messages run on
 *   the same messaging backend as TamTam, whose Bot API documents "text: up to 4000 characters"
 *   (NewMessageBody, dev.tamtam.chat); we use that and the sandbox enforces it.
 * - Buttons: `INLINE_KEYBOARD` attachment with CALLBACK and LINK buttons (apiok.ru graph.chat.answer /
 *   graph.user.messages attachment list). Row and label limits, likewise undocumented by OK, follow
 *   TamTam's InlineKeyboardAttachmentRequest: at most 30 rows, 7 buttons per row, label ≤ 128
 *   characters. We render one button per row, so at most 30 buttons.
 * - Images: not offered — OK sends images by URL or upload token only (graph.user.fileUploadUrl).
 * - Reports: the Bot API webhook types are MESSAGE_CREATED, MESSAGE_CALLBACK and CHAT_SYSTEM
 *   (graph.user.subscribe docs); there is no delivery or read receipt.
 * - Withdraw: the Graph API has no method to delete a sent message.
 * - Initiation: "User must allow to receive group messages before it can be sent to him"
 *   (graph.user.messages docs) — the user writes to the group first.
 * - Rate limit: not published by OK; 30 requests/s is our conservative assumption (TamTam's figure).
 */
export const okCapabilities: ChannelCapabilities = {
  text: { maxLength: 4000 },
  buttons: { kinds: ['callback', 'link'], max: 30, maxPerRow: 1, maxLabelLength: 128 },
  images: null,
  reports: { delivered: false, read: false },
  initiation: 'after-user-wrote',
  inbound: true,
  platformTemplates: false,
  rateLimit: { perSecond: 30 },
  withdraw: false,
};
