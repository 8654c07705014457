import type { z } from 'zod';
import type { NormalizedEvent } from '../contract';
import {
  type CallbackEnvelope,
  type IncomingMessage,
  messageAllowObject,
  messageDenyObject,
  messageEventObject,
  messageNewObject,
  messageReadObject,
} from './callback-schema';
import { attachmentsOf } from './inbound-attachments';

/** What one Callback API event becomes. */
export type MappedCallback =
  | { kind: 'events'; events: NormalizedEvent[] }
  | { kind: 'unsupported'; type: string }
  | { kind: 'malformed'; detail: string };

/** A verified event with its stable key (VK's `event_id`, the same on every retry). */
interface KeyedEvent {
  key: string;
  object: unknown;
  receivedAt: Date;
}

type Mapper = (event: KeyedEvent) => MappedCallback;

function parseObject<S extends z.ZodType>(
  schema: S,
  object: unknown,
  map: (value: z.output<S>) => NormalizedEvent[],
): MappedCallback {
  const parsed = schema.safeParse(object);
  if (!parsed.success)
    return { kind: 'malformed', detail: parsed.error.issues[0]?.message ?? 'invalid object' };
  return { kind: 'events', events: map(parsed.data) };
}

/** VK sends keyboard payloads as JSON; a JSON string is our payload, anything else stays JSON. */
export function decodePayload(raw: unknown): string {
  if (typeof raw !== 'string') return JSON.stringify(raw ?? null);
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : raw;
  } catch {
    return raw;
  }
}

const messageIdOf = (message: {
  id?: number | undefined;
  peer_id?: number;
  conversation_message_id?: number | undefined;
}) => (message.id ? String(message.id) : `${message.peer_id ?? 0}_${message.conversation_message_id ?? 0}`);

/** Own text, then forwarded messages quoted (`> `), so an operator sees what was forwarded. */
function textOf(message: IncomingMessage): string {
  const quoted = message.fwd_messages
    .filter((item) => item.text.length > 0)
    .map((item) => item.text.replace(/^/gm, '> '));
  return [message.text, ...quoted].filter((part) => part.length > 0).join('\n\n');
}

function inboundMessage(key: string, message: IncomingMessage): NormalizedEvent {
  const reply = message.reply_message;
  return {
    type: 'inbound-message',
    eventKey: key,
    externalMessageId: messageIdOf(message),
    from: { externalUserId: String(message.from_id) },
    conversationId: String(message.peer_id),
    text: textOf(message),
    attachments: attachmentsOf(message),
    ...(reply ? { replyToExternalId: messageIdOf({ ...reply, peer_id: message.peer_id }) } : {}),
    ...(message.payload === undefined ? {} : { buttonPayload: decodePayload(message.payload) }),
    occurredAt: new Date(message.date * 1000),
  };
}

/**
 * Callback API event type → mapper. Types not listed are acknowledged (`ok`) without events, so
 * VK does not retry them. VK reports no deliveries; `message_read` reports that the user read
 * everything up to `read_message_id`.
 */
export const callbackMappers: Readonly<Record<string, Mapper>> = {
  message_new: ({ key, object }) =>
    parseObject(messageNewObject, object, ({ message }) => [inboundMessage(key, message)]),
  message_event: ({ key, object, receivedAt }) =>
    parseObject(messageEventObject, object, (press) => [
      {
        type: 'button-press',
        eventKey: key,
        answerToken: press.event_id,
        from: { externalUserId: String(press.user_id) },
        conversationId: String(press.peer_id),
        payload: decodePayload(press.payload),
        occurredAt: receivedAt,
      },
    ]),
  message_read: ({ key, object, receivedAt }) =>
    parseObject(messageReadObject, object, (read) => [
      {
        type: 'status-update',
        eventKey: key,
        externalMessageId: String(read.read_message_id),
        status: 'read',
        recipient: { externalUserId: String(read.from_id) },
        occurredAt: receivedAt,
      },
    ]),
  message_allow: ({ key, object, receivedAt }) =>
    parseObject(messageAllowObject, object, ({ user_id }) => [
      { type: 'opt-in', eventKey: key, from: { externalUserId: String(user_id) }, occurredAt: receivedAt },
    ]),
  message_deny: ({ key, object, receivedAt }) =>
    parseObject(messageDenyObject, object, ({ user_id }) => [
      { type: 'opt-out', eventKey: key, from: { externalUserId: String(user_id) }, occurredAt: receivedAt },
    ]),
};

const mapperByType = new Map(Object.entries(callbackMappers));

/**
 * Maps one verified Callback API event. The event key is VK's `event_id`; events from API
 * versions without it fall back to `<type>:<group_id>:<object digest>` chosen by the caller.
 */
export function mapCallback(
  envelope: CallbackEnvelope,
  key: string,
  receivedAt = new Date(),
): MappedCallback {
  const mapper = mapperByType.get(envelope.type);
  if (!mapper) return { kind: 'unsupported', type: envelope.type };
  return mapper({ key, object: envelope.object, receivedAt });
}
