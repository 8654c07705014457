import type { ChannelCapabilities } from '../contract';
import type { EmailConfig } from './config-schema';

/**
 * Text limit. SMTP itself has none that matters here (RFC 5322 §2.1.1 limits a line to 998
 * octets; nodemailer encodes bodies as quoted-printable or base64, so long lines never reach the
 * wire). The practical limit is the reader's: Gmail shows "[Message clipped] View entire message"
 * once the HTML part passes about 102 KB (widely measured, e.g.
 * https://www.spamresource.com/2022/01/what-is-gmail-clipping-and-what-to-do.html). We keep the
 * text to 100 000 UTF-8 bytes so a notification never hides behind that link; the HTML wrapper
 * and the buttons fit in what is left.
 */
export const maxTextBytes = 100_000;

/**
 * Whole-message budget: Gmail "You can send up to 25 MB in attachments"
 * (https://support.google.com/mail/answer/6584), and most providers refuse larger messages with
 * `552 5.3.4`. Images travel base64-encoded in 76-character lines (×4/3 × 78/76 ≈ 1.37), text and
 * HTML parts take up to ~1.2 MB encoded, so 5 images of 3 MiB (≈ 21.5 MB encoded) stay under it.
 */
export const maxMessageBytes = 25 * 1024 * 1024;
export const maxImages = 5;
export const maxImageBytes = 3 * 1024 * 1024;

/**
 * Link buttons are our own rendering (an `<a href>` styled as a button, and "Label: URL" in the
 * text part): e-mail has no button limit, so we keep the design's template limit of 6, and labels
 * short enough for one line on a phone.
 */
export const maxButtons = 6;
export const maxButtonLabelLength = 40;

/**
 * E-mail capabilities.
 * - reports: SMTP acceptance is all we learn (`sent`); no delivery or read receipts (we add no
 *   tracking pixels, and DSN/MDN are not reliably honoured by mailbox providers);
 * - initiation: any address (`by-address`);
 * - inbound: none (replies go to `replyTo`, which this adapter does not read);
 * - withdraw: a sent e-mail cannot be taken back;
 * - rate: no protocol limit; the provider's quota is configured as `pool.messagesPerSecond`.
 */
export function emailCapabilities(config: EmailConfig): ChannelCapabilities {
  return {
    text: { maxLength: maxTextBytes, maxBytes: maxTextBytes },
    buttons: { kinds: ['link'], max: maxButtons, maxLabelLength: maxButtonLabelLength },
    images: { max: maxImages, formats: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: maxImageBytes },
    reports: { delivered: false, read: false },
    initiation: 'by-address',
    inbound: false,
    platformTemplates: false,
    rateLimit: { perSecond: config.pool.messagesPerSecond },
    withdraw: false,
  };
}
