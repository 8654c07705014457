/** Kinds of inbound attachment, normalized across platforms. */
export type AttachmentKind =
  | 'photo'
  | 'document'
  | 'voice'
  | 'audio'
  | 'video'
  | 'sticker'
  | 'location'
  | 'contact';

/**
 * A file or structured item a user sent. Files are referenced by `fileRef`, which only the same
 * adapter understands (`downloadAttachment`): platform URLs expire, so the core downloads and keeps them.
 */
export type InboundAttachment =
  | {
      kind: Exclude<AttachmentKind, 'location' | 'contact'>;
      fileRef: string;
      fileName?: string;
      mimeType?: string;
      size?: number;
    }
  | { kind: 'location'; latitude: number; longitude: number; title?: string }
  | { kind: 'contact'; name: string; phone?: string };

/** The user who caused an event, as the platform names them. */
export interface PlatformUser {
  externalUserId: string;
  name?: string;
  phone?: string;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'undelivered' | 'expired';

/**
 * Normalized events. Every event has `eventKey`: unique per channel for the same platform event,
 * stable across the platform's retries. The core stores events under a unique index on it, so a
 * webhook delivered five times yields one event.
 */
export type NormalizedEvent =
  | {
      type: 'inbound-message';
      eventKey: string;
      externalMessageId: string;
      from: PlatformUser;
      /** Chat / peer id to answer to; equals `from.externalUserId` in one-to-one chats. */
      conversationId: string;
      text: string;
      attachments: InboundAttachment[];
      /** Platform message id this message replies to (Telegram reply_to, WhatsApp context.id, VK reply). */
      replyToExternalId?: string;
      /** Payload of a text ("reply") keyboard button the user tapped, when the platform gives one. */
      buttonPayload?: string;
      occurredAt: Date;
    }
  | {
      type: 'button-press';
      eventKey: string;
      from: PlatformUser;
      conversationId: string;
      payload: string;
      /** Platform message id of the message carrying the button. */
      externalMessageId?: string;
      /**
       * What `acknowledgeButton` answers the press with (Telegram callback query id, VK
       * `message_event` event_id); absent where the platform needs no answer.
       */
      answerToken?: string;
      occurredAt: Date;
    }
  | {
      type: 'status-update';
      eventKey: string;
      externalMessageId: string;
      status: DeliveryStatus;
      /** Platform's reason for a failure, e.g. `131047 Re-engagement message`. */
      reason?: string;
      recipient?: PlatformUser;
      occurredAt: Date;
    }
  | { type: 'opt-in'; eventKey: string; from: PlatformUser; occurredAt: Date }
  | { type: 'opt-out'; eventKey: string; from: PlatformUser; occurredAt: Date };

export type NormalizedEventType = NormalizedEvent['type'];
