import type { ChannelCapabilities } from '../contract';

/**
 * What a notification sent through the VK / OK gateway can carry.
 * - Text: 2048 characters and at most 2 KB (VK Notify FAQ "Сколько символов можно использовать в
 *   одном сообщении? — 2048"; Rapporto "Features of VK Messages": up to 2048 characters).
 * - Buttons and images: `null` because they are part of the moderated template (up to 6 buttons
 *   and 5 JPEG images per template, design.md / VK Notify FAQ), never set per message.
 * - Reports: sent, delivered, read, undelivered, expired (VK Notify FAQ "Какой статус может быть у
 *   сообщения?").
 * - Rate: 50 notifications per second per group (Devino "VK.COM": "no more than 50 notifications
 *   per second for one VK-group").
 * - One-way: replies reach the business's VK / OK group chat, not this channel; no withdrawal.
 */
export const notifyCapabilities: ChannelCapabilities = {
  text: { maxLength: 2048, maxBytes: 2048 },
  buttons: null,
  images: null,
  reports: { delivered: true, read: true },
  initiation: 'by-phone',
  inbound: false,
  platformTemplates: true,
  rateLimit: { perSecond: 50 },
  withdraw: false,
};
