import { z } from 'zod';
import type {
  AttachmentKind,
  DeliveryStatus,
  InboundAttachment,
  NormalizedEvent,
  PlatformUser,
} from '../contract';
import {
  type IncomingMessage,
  incomingMessage,
  type MessageStatus,
  type MessagesValue,
  messageStatus,
} from './webhook-schema';

/** What one `messages[]` / `statuses[]` item became: an event, or why it was skipped. */
export type MappedItem = { kind: 'event'; event: NormalizedEvent } | { kind: 'unsupported'; what: string };

interface MessageContext {
  message: IncomingMessage;
  sender: PlatformUser;
  occurredAt: Date;
}

type MessageMapper = (context: MessageContext) => MappedItem;

const unsupported = (what: string): MappedItem => ({ kind: 'unsupported', what });
const epochDate = (seconds: string): Date => new Date(Number(seconds) * 1000);

function inbound(context: MessageContext, text: string, attachments: InboundAttachment[]): MappedItem {
  const { message, sender } = context;
  return {
    kind: 'event',
    event: {
      type: 'inbound-message',
      eventKey: message.id,
      externalMessageId: message.id,
      from: sender,
      conversationId: sender.externalUserId,
      text,
      attachments,
      ...(message.context?.id ? { replyToExternalId: message.context.id } : {}),
      occurredAt: context.occurredAt,
    },
  };
}

function buttonPress(context: MessageContext, payload: string): MappedItem {
  const { message, sender } = context;
  return {
    kind: 'event',
    event: {
      type: 'button-press',
      eventKey: message.id,
      from: sender,
      conversationId: sender.externalUserId,
      payload,
      ...(message.context?.id ? { externalMessageId: message.context.id } : {}),
      occurredAt: context.occurredAt,
    },
  };
}

/** Reads `message[key]` with `schema`; `null` when it does not fit. */
function part<S extends z.ZodType>(message: IncomingMessage, key: string, schema: S): z.output<S> | null {
  const parsed = schema.safeParse((message as Record<string, unknown>)[key]);
  return parsed.success ? parsed.data : null;
}

const mediaObject = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
});

/** image / document / audio / video / sticker: the media id is the `fileRef` for `downloadAttachment`. */
const media =
  (
    key: string,
    kindOf: (object: z.output<typeof mediaObject>) => Exclude<AttachmentKind, 'location' | 'contact'>,
  ) =>
  (context: MessageContext): MappedItem => {
    const object = part(context.message, key, mediaObject);
    if (!object) return unsupported(`${key} without a media id`);
    const attachment: InboundAttachment = {
      kind: kindOf(object),
      fileRef: object.id,
      ...(object.filename ? { fileName: object.filename } : {}),
      ...(object.mime_type ? { mimeType: object.mime_type } : {}),
    };
    return inbound(context, object.caption ?? '', [attachment]);
  };

const textObject = z.looseObject({ body: z.string() });
const locationObject = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
});
const sharedContacts = z.array(
  z.looseObject({
    name: z.looseObject({ formatted_name: z.string() }),
    phones: z.array(z.looseObject({ phone: z.string().optional() })).optional(),
  }),
);
const interactiveReply = z.looseObject({
  type: z.string(),
  button_reply: z.looseObject({ id: z.string() }).optional(),
  list_reply: z.looseObject({ id: z.string() }).optional(),
});
const quickReply = z.looseObject({ payload: z.string(), text: z.string().optional() });

/**
 * Message type → mapper (types from the `IncomingMessage` discriminator in Meta's OpenAPI). Types not
 * listed (reaction, order, system, unsupported, request_welcome…) are reported as unsupported.
 */
export const messageMappers: Readonly<Record<string, MessageMapper>> = {
  text: (context) => {
    const text = part(context.message, 'text', textObject);
    return text ? inbound(context, text.body, []) : unsupported('text without a body');
  },
  image: media('image', () => 'photo'),
  document: media('document', () => 'document'),
  audio: media('audio', (object) => (object.voice ? 'voice' : 'audio')),
  video: media('video', () => 'video'),
  sticker: media('sticker', () => 'sticker'),
  location: (context) => {
    const location = part(context.message, 'location', locationObject);
    if (!location) return unsupported('location without coordinates');
    const title = location.name ?? location.address;
    return inbound(context, '', [
      {
        kind: 'location',
        latitude: location.latitude,
        longitude: location.longitude,
        ...(title ? { title } : {}),
      },
    ]);
  },
  contacts: (context) => {
    const contacts = part(context.message, 'contacts', sharedContacts);
    if (!contacts) return unsupported('contacts without names');
    const attachments = contacts.map((contact): InboundAttachment => {
      const phone = contact.phones?.find((entry) => entry.phone)?.phone;
      return { kind: 'contact', name: contact.name.formatted_name, ...(phone ? { phone } : {}) };
    });
    return inbound(context, '', attachments);
  },
  interactive: (context) => {
    const reply = part(context.message, 'interactive', interactiveReply);
    const id = reply?.button_reply?.id ?? reply?.list_reply?.id;
    return id === undefined ? unsupported(`interactive ${reply?.type ?? 'reply'}`) : buttonPress(context, id);
  },
  button: (context) => {
    const button = part(context.message, 'button', quickReply);
    return button ? buttonPress(context, button.payload) : unsupported('button without a payload');
  },
};

/** Cloud API status → our delivery status. `played` (voice message played) implies read. */
export const statusTable: Readonly<Record<string, DeliveryStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'undelivered',
};

function failureReason(status: MessageStatus): string | undefined {
  const error = status.errors?.[0];
  if (!error) return undefined;
  const title = error.title ?? error.message ?? 'failed';
  const details = error.error_data?.details;
  return details ? `${error.code} ${title}: ${details}` : `${error.code} ${title}`;
}

/** One `statuses[]` item → a status update keyed `<wamid>:<status>` (statuses may arrive out of order). */
export function mapStatus(raw: unknown): MappedItem {
  const parsed = messageStatus.safeParse(raw);
  if (!parsed.success) return unsupported('malformed status');
  const status = parsed.data;
  const mapped = statusTable[status.status];
  if (!mapped) return unsupported(`status ${status.status}`);
  const reason = failureReason(status);
  return {
    kind: 'event',
    event: {
      type: 'status-update',
      eventKey: `${status.id}:${status.status}`,
      externalMessageId: status.id,
      status: mapped,
      ...(reason ? { reason } : {}),
      ...(status.recipient_id ? { recipient: { externalUserId: status.recipient_id } } : {}),
      occurredAt: epochDate(status.timestamp),
    },
  };
}

/** One `messages[]` item → an event through `messageMappers`, with the sender's profile name. */
export function mapMessage(raw: unknown, value: MessagesValue): MappedItem {
  const parsed = incomingMessage.safeParse(raw);
  if (!parsed.success) return unsupported('malformed message');
  const message = parsed.data;
  const mapper = messageMappers[message.type];
  if (!mapper) return unsupported(`message type ${message.type}`);
  const contacts = value.contacts ?? [];
  const contact =
    contacts.find((entry) => entry.wa_id === message.from) ??
    (contacts.length === 1 ? contacts[0] : undefined);
  const name = contact?.profile?.name;
  const sender: PlatformUser = {
    externalUserId: message.from,
    ...(name ? { name } : {}),
    // `from` is the user's phone number in digits (a WhatsApp id that may differ is not a phone).
    ...(/^\d{8,15}$/.test(message.from) ? { phone: `+${message.from}` } : {}),
  };
  return mapper({ message, sender, occurredAt: epochDate(message.timestamp) });
}

/** Every message and status of one `changes[].value`, in payload order. */
export function mapMessagesValue(value: MessagesValue): MappedItem[] {
  return [
    ...(value.messages ?? []).map((message) => mapMessage(message, value)),
    ...(value.statuses ?? []).map(mapStatus),
  ];
}
