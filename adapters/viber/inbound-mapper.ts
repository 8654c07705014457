import { z } from 'zod';
import type { InboundAttachment, NormalizedEvent, PlatformUser } from '../contract';
import {
  type ViberInboundMessage,
  viberEnvelopeSchema,
  viberMessageCallbackSchema,
  viberReceiptCallbackSchema,
  viberUnsubscribedCallbackSchema,
  viberUserCallbackSchema,
} from './callback-schema';

/**
 * - `events`: a callback we understood (maybe with no events: the set_webhook check,
 *   conversation_started);
 * - `unsupported`: a genuine callback of an event we do not handle (answered 200 so Viber does not
 *   retry it);
 * - `malformed`: not a Viber callback.
 */
export type ViberMappingResult =
  | { outcome: 'events'; events: NormalizedEvent[] }
  | { outcome: 'unsupported'; event: string }
  | { outcome: 'malformed'; reason: string };

type CallbackMapper = (payload: Record<string, unknown>) => ViberMappingResult;

/** Every event has `<event>:<message_token>`: Viber retries a callback with the same token. */
const eventKey = (event: string, token: string): string => `${event}:${token}`;

const malformed = (error: z.ZodError): ViberMappingResult => ({
  outcome: 'malformed',
  reason: error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
});

/** Parses with `schema`, then maps; a schema failure is `malformed`. */
const mapWith =
  <S extends z.ZodType>(schema: S, map: (callback: z.output<S>) => NormalizedEvent[]): CallbackMapper =>
  (payload) => {
    const parsed = schema.safeParse(payload);
    return parsed.success ? { outcome: 'events', events: map(parsed.data) } : malformed(parsed.error);
  };

const noEvents: CallbackMapper = mapWith(viberEnvelopeSchema, () => []);

const toUser = (user: { id: string; name?: string | undefined }): PlatformUser =>
  user.name === undefined ? { externalUserId: user.id } : { externalUserId: user.id, name: user.name };

type AttachmentMapper = (message: ViberInboundMessage) => InboundAttachment[];

/** Own entries only: `constructor` or `__proto__` from a payload must never find a mapper. */
const lookup = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

const fileAttachment =
  (kind: 'photo' | 'video' | 'document'): AttachmentMapper =>
  (message) =>
    message.media
      ? [
          {
            kind,
            fileRef: message.media,
            ...(message.file_name === undefined ? {} : { fileName: message.file_name }),
            ...(message.size === undefined ? {} : { size: message.size }),
          },
        ]
      : [];

/** Viber sticker callbacks carry `sticker_id` and, on newer clients, the sticker image URL. */
export const stickerRefPrefix = 'viber-sticker:';

/** `message.type` → attachments; types not listed carry none (`text`, `url`, `rich_media`). */
const attachmentMappers: Readonly<Record<string, AttachmentMapper>> = {
  picture: fileAttachment('photo'),
  video: fileAttachment('video'),
  file: fileAttachment('document'),
  sticker: (message) => [
    { kind: 'sticker', fileRef: message.media ?? `${stickerRefPrefix}${message.sticker_id ?? 'unknown'}` },
  ],
  location: (message) =>
    message.location
      ? [{ kind: 'location', latitude: message.location.lat, longitude: message.location.lon }]
      : [],
  contact: (message) =>
    message.contact
      ? [
          {
            kind: 'contact',
            name: message.contact.name,
            ...(message.contact.phone_number ? { phone: message.contact.phone_number } : {}),
          },
        ]
      : [],
};

const offeredButtons = z.object({ replyButtons: z.array(z.string()) });

/**
 * A Viber reply button sends its `ActionBody` as the user's text message; nothing else marks it.
 * The payloads we offered ride in `tracking_data` (see outbound-renderer), so a text equal to one
 * of them is a button press.
 */
export function buttonPayloadOf(message: ViberInboundMessage): string | undefined {
  if (message.type !== 'text' || !message.text || !message.tracking_data) return undefined;
  let trackingData: unknown;
  try {
    trackingData = JSON.parse(message.tracking_data);
  } catch {
    return undefined;
  }
  const offered = offeredButtons.safeParse(trackingData);
  return offered.success && offered.data.replyButtons.includes(message.text) ? message.text : undefined;
}

const textOf = (message: ViberInboundMessage): string =>
  message.text ?? (message.type === 'url' ? (message.media ?? '') : '');

const mapMessage = mapWith(viberMessageCallbackSchema, (callback): NormalizedEvent[] => {
  const buttonPayload = buttonPayloadOf(callback.message);
  return [
    {
      type: 'inbound-message',
      eventKey: eventKey(callback.event, callback.message_token),
      externalMessageId: callback.message_token,
      from: toUser(callback.sender),
      conversationId: callback.sender.id,
      text: textOf(callback.message),
      attachments: lookup(attachmentMappers, callback.message.type)?.(callback.message) ?? [],
      ...(buttonPayload === undefined ? {} : { buttonPayload }),
      occurredAt: new Date(callback.timestamp),
    },
  ];
});

const receipt = (status: 'delivered' | 'read' | 'undelivered'): CallbackMapper =>
  mapWith(viberReceiptCallbackSchema, (callback) => [
    {
      type: 'status-update',
      eventKey: eventKey(callback.event, callback.message_token),
      externalMessageId: callback.message_token,
      status,
      ...(callback.desc === undefined ? {} : { reason: callback.desc }),
      recipient: { externalUserId: callback.user_id },
      occurredAt: new Date(callback.timestamp),
    },
  ]);

/**
 * Viber callback `event` → mapper (Viber REST API, "Callbacks"). `webhook` is the availability check
 * set_webhook makes; `conversation_started` means the user opened the chat (not yet subscribed, so
 * not an opt-in; the only moment a welcome message may be sent, which we do not do).
 */
const callbackMappers: Readonly<Record<string, CallbackMapper>> = {
  webhook: noEvents,
  conversation_started: noEvents,
  message: mapMessage,
  delivered: receipt('delivered'),
  seen: receipt('read'),
  failed: receipt('undelivered'),
  subscribed: mapWith(viberUserCallbackSchema, (callback) => [
    {
      type: 'opt-in',
      eventKey: eventKey(callback.event, callback.message_token),
      from: toUser(callback.user),
      occurredAt: new Date(callback.timestamp),
    },
  ]),
  unsubscribed: mapWith(viberUnsubscribedCallbackSchema, (callback) => [
    {
      type: 'opt-out',
      eventKey: eventKey(callback.event, callback.message_token),
      from: { externalUserId: callback.user_id },
      occurredAt: new Date(callback.timestamp),
    },
  ]),
};

/** Maps one parsed Viber callback to normalized events. Never throws. */
export function mapViberCallback(payload: Record<string, unknown>): ViberMappingResult {
  const envelope = viberEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return malformed(envelope.error);
  const mapper = lookup(callbackMappers, envelope.data.event);
  return mapper ? mapper(payload) : { outcome: 'unsupported', event: envelope.data.event };
}
