import type { ChannelCapabilities } from '../contract';
import type { SmsConfig } from './config-schema';
import { partLimits } from './message-encoding';

/**
 * SMS over SMPP 3.4. Text only (no buttons, no images — MMS is another protocol). Length: a
 * message may take at most `maxParts` concatenated parts (3GPP TS 23.040 §9.2.3.24.1, 153 GSM-7
 * septets or 67 UCS-2 characters each), so `text.maxLength` is `maxParts × 153`: the GSM-7
 * figure. A UCS-2 text (Cyrillic, emoji) fits only `maxParts × 67` characters; `send` refuses a
 * longer one before any PDU with `content-too-long`, code `text.maxParts`. Delivery receipts
 * (`registered_delivery` 1) but no read receipts; anyone with a phone number can be messaged; MO
 * messages arrive on the same bind; withdraw is not offered (`cancel_sm` only works while the SMSC
 * still holds the message, which an SMSC delivering at once never does).
 */
/** Most GSM-7 septets in `maxParts` parts: one unsplit SMS holds 160, concatenated parts 153 each. */
export const gsmMaxLength = (maxParts: number): number =>
  maxParts === 1 ? partLimits.gsm7.single : maxParts * partLimits.gsm7.multi;

export function smsCapabilities(config: SmsConfig): ChannelCapabilities {
  return {
    text: { maxLength: gsmMaxLength(config.maxParts) },
    buttons: null,
    images: null,
    reports: { delivered: true, read: false },
    initiation: 'by-phone',
    inbound: true,
    platformTemplates: false,
    rateLimit: { perSecond: config.throughputPerSecond },
    withdraw: false,
  };
}
