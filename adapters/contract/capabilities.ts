/** How a channel may start a conversation with someone who has not written yet. */
export type Initiation =
  /** Any phone number (SMS, the VK/OK notification gateway). */
  | 'by-phone'
  /** Any e-mail address. */
  | 'by-address'
  /** Only users who wrote first / started the bot / allowed community messages. */
  | 'after-user-wrote'
  /** Free text only inside a service window; outside it, approved templates only (WhatsApp). */
  | 'template-only-outside-window';

export type ButtonKind = 'reply' | 'callback' | 'link';

/**
 * What a channel can carry. The core validates content against this before any network call
 * (`validateContent`), and the UI uses it for counters. Limits are the platform's documented ones.
 */
export interface ChannelCapabilities {
  text: {
    /** Maximum length in characters (UTF-16 code units are NOT used: counted as code points). */
    maxLength: number;
    /** Maximum size in UTF-8 bytes, where the platform limits bytes as well. */
    maxBytes?: number;
  };
  /** `null` when the channel has no buttons (callers fall back to numbered text options). */
  buttons: {
    kinds: readonly ButtonKind[];
    max: number;
    maxPerRow?: number;
    maxLabelLength: number;
  } | null;
  /** `null` when the channel cannot send images. */
  images: {
    max: number;
    /** MIME types, e.g. `image/jpeg`. */
    formats: readonly string[];
    maxBytes: number;
  } | null;
  /** Whether the platform reports delivery and read receipts. */
  reports: { delivered: boolean; read: boolean };
  initiation: Initiation;
  /** Whether the channel receives messages from users (SMS MO, chats) at all. */
  inbound: boolean;
  /** Templates the platform itself moderates (WhatsApp, the notification gateway). */
  platformTemplates: boolean;
  /** The platform's send rate limit for one account. */
  rateLimit: { perSecond: number };
  /** Whether a sent message can be deleted for the recipient. */
  withdraw: boolean;
}
