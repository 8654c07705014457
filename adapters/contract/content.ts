import type { ButtonKind } from './capabilities';

/** A button on an outbound message. `payload` comes back in the `ButtonPress` event. */
export type Button =
  | { kind: Extract<ButtonKind, 'reply'>; label: string; payload: string }
  | { kind: Extract<ButtonKind, 'callback'>; label: string; payload: string }
  | { kind: Extract<ButtonKind, 'link'>; label: string; url: string };

/** An image to attach, already fetched by the core (adapters never read our storage). */
export interface OutboundImage {
  mimeType: string;
  fileName: string;
  data: Buffer;
}

/**
 * What the core asks an adapter to send. Discriminated on `type`.
 * - `text`: free text with optional buttons and images.
 * - `template`: a platform-moderated template (WhatsApp, notification gateway) with its
 *   parameters; `text` is the rendered text, for channels and logs that need it.
 */
export type OutboundContent =
  | { type: 'text'; text: string; buttons?: Button[]; images?: OutboundImage[] }
  | {
      type: 'template';
      template: string;
      language?: string;
      params: Record<string, string>;
      text: string;
      buttons?: Button[];
    };

/** Who receives. An adapter accepts the kinds its `capabilities.initiation` allows. */
export type Recipient =
  | { kind: 'user'; externalUserId: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'email'; address: string; name?: string };

export interface SendOptions {
  /**
   * Our id for this attempt. Adapters derive platform idempotency keys from it (VK `random_id`),
   * so a retried send never delivers twice.
   */
  messageId: string;
  /** Time to live in seconds, where the platform supports it (notification gateway, SMS validity). */
  ttlSeconds?: number;
  /** Where the platform should report statuses, for platforms that take a per-message URL. */
  statusCallbackUrl?: string;
  /** Platform message id to quote, where the platform supports replies. */
  replyToExternalId?: string;
  /** E-mail subject; ignored elsewhere. */
  subject?: string;
  /**
   * Deliver only if the platform vouches that the number belongs to the user it reaches (the
   * notification gateway's `verified_phone` policy), for recipient verification. Adapters whose
   * platform cannot check it ignore it (the core asks the user itself on chat channels).
   */
  verifiedRecipientOnly?: boolean;
}
