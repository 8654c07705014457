import type { ChannelCapabilities } from '../contract';

/**
 * WhatsApp Cloud API limits, from Meta's documentation:
 * - "Text messages" (cloud-api/messages/text-messages): `text.body` up to 4096 characters.
 * - "Interactive reply buttons messages": up to 3 buttons, button title up to 20 characters,
 *   button id up to 256 characters, body text up to 1024 characters.
 * - "Image messages" / "Supported media types": JPEG and PNG, up to 5 MB; caption up to 1024
 *   characters.
 * - "Throughput": 80 messages per second per business phone number by default.
 */
export const whatsappLimits = {
  textMaxLength: 4096,
  interactiveBodyMaxLength: 1024,
  captionMaxLength: 1024,
  replyButtonsMax: 3,
  buttonTitleMaxLength: 20,
  buttonIdMaxLength: 256,
  imageMaxBytes: 5 * 1024 * 1024,
  imageFormats: ['image/jpeg', 'image/png'],
  messagesPerSecond: 80,
} as const;

/**
 * What a WhatsApp channel can carry. Only reply buttons (up to 3): a link button (`cta_url`) must be
 * the only button of its message, which the shared button model cannot express, so links are not
 * offered. One image per message (sent as the image, or as the header of a button message).
 * Business messages cannot be deleted through the Cloud API, so `withdraw` is false.
 */
export function whatsappCapabilities(): ChannelCapabilities {
  return {
    text: { maxLength: whatsappLimits.textMaxLength },
    buttons: {
      kinds: ['reply'],
      max: whatsappLimits.replyButtonsMax,
      maxLabelLength: whatsappLimits.buttonTitleMaxLength,
    },
    images: {
      max: 1,
      formats: whatsappLimits.imageFormats,
      maxBytes: whatsappLimits.imageMaxBytes,
    },
    reports: { delivered: true, read: true },
    initiation: 'template-only-outside-window',
    inbound: true,
    platformTemplates: true,
    rateLimit: { perSecond: whatsappLimits.messagesPerSecond },
    withdraw: false,
  };
}
