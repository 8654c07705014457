import { z } from 'zod';
import type { AttachmentKind, InboundAttachment, NormalizedEvent } from '../contract';

/**
 * OK webhook payloads (apiok.ru graph.user.subscribe): every event names its `webhookType`
 * (MESSAGE_CREATED, MESSAGE_CALLBACK, CHAT_SYSTEM), the `sender` user (`user:<id>`), the `recipient`
 * chat (`chat:<id>`) and a millisecond `timestamp`. Older payloads in the docs carry no
 * `webhookType`; a body with a `message` is then a MESSAGE_CREATED.
 *
 * Identity: OK addresses a group-to-user dialog by its chat id, and that is what we send to, so both
 * `from.externalUserId` and `conversationId` are the chat id. The `user:<id>` is not kept.
 */
const sender = z.object({ user_id: z.string().min(1), name: z.string().optional() });
const recipient = z.object({ chat_id: z.string().min(1) });
const attachment = z.object({ type: z.string(), payload: z.record(z.string(), z.unknown()).optional() });

const messageCreated = z.object({
  sender,
  recipient,
  message: z.object({
    mid: z.string().min(1),
    text: z.string().optional(),
    seq: z.union([z.number(), z.string()]).optional(),
    attachments: z.array(attachment).optional(),
    reply_to: z.string().optional(),
  }),
  timestamp: z.number(),
});

const messageCallback = z.object({
  callbackId: z.string().min(1),
  payload: z.string(),
  sender,
  recipient,
  message: z
    .object({ mid: z.string().min(1) })
    .partial()
    .optional(),
  timestamp: z.number(),
});

export type OkMappingResult =
  | { ok: true; events: NormalizedEvent[]; unsupported?: string }
  | { ok: false; reason: string };

type Mapper = (body: unknown) => OkMappingResult;

/** OK attachment type → our attachment kind, for attachments that carry a downloadable `payload.url`. */
const fileKinds: Readonly<Record<string, Exclude<AttachmentKind, 'location' | 'contact'>>> = {
  IMAGE: 'photo',
  VIDEO: 'video',
  AUDIO: 'audio',
  FILE: 'document',
  STICKER: 'sticker',
};

function mapAttachment(item: z.output<typeof attachment>): InboundAttachment[] {
  const kind = fileKinds[item.type];
  const url = item.payload?.url;
  if (!kind || typeof url !== 'string') return [];
  const name = item.payload?.name;
  const size = item.payload?.size;
  return [
    {
      kind,
      fileRef: url,
      ...(typeof name === 'string' ? { fileName: name } : {}),
      ...(typeof size === 'number' ? { size } : {}),
    },
  ];
}

function invalid(error: z.ZodError): OkMappingResult {
  return { ok: false, reason: `malformed OK webhook: ${error.issues[0]?.message ?? 'invalid'}` };
}

const mapMessageCreated: Mapper = (body) => {
  const parsed = messageCreated.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const { sender: from, recipient: to, message, timestamp } = parsed.data;
  const event: NormalizedEvent = {
    type: 'inbound-message',
    eventKey: message.mid,
    externalMessageId: message.mid,
    from: { externalUserId: to.chat_id, ...(from.name ? { name: from.name } : {}) },
    conversationId: to.chat_id,
    text: message.text ?? '',
    attachments: (message.attachments ?? []).flatMap(mapAttachment),
    ...(message.reply_to ? { replyToExternalId: message.reply_to } : {}),
    occurredAt: new Date(timestamp),
  };
  return { ok: true, events: [event] };
};

const mapMessageCallback: Mapper = (body) => {
  const parsed = messageCallback.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const { callbackId, payload, sender: from, recipient: to, message, timestamp } = parsed.data;
  const event: NormalizedEvent = {
    type: 'button-press',
    eventKey: `callback:${callbackId}`,
    from: { externalUserId: to.chat_id, ...(from.name ? { name: from.name } : {}) },
    conversationId: to.chat_id,
    payload,
    ...(message?.mid ? { externalMessageId: message.mid } : {}),
    occurredAt: new Date(timestamp),
  };
  return { ok: true, events: [event] };
};

const unsupported =
  (what: string): Mapper =>
  () => ({ ok: true, events: [], unsupported: what });

/** webhookType → mapper. Types not listed are accepted without events (OK must not retry them). */
export const okWebhookMappers: Readonly<Record<string, Mapper>> = {
  MESSAGE_CREATED: mapMessageCreated,
  MESSAGE_CALLBACK: mapMessageCallback,
  CHAT_SYSTEM: unsupported('CHAT_SYSTEM (chat opened by link, participants changed)'),
};

function webhookTypeOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.webhookType === 'string') return body.webhookType;
  return 'message' in body ? 'MESSAGE_CREATED' : undefined;
}

/** Maps one parsed OK webhook body to normalized events. */
export function mapOkWebhook(body: unknown): OkMappingResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'OK webhook body is not a JSON object' };
  }
  const type = webhookTypeOf(body as Record<string, unknown>);
  if (!type) return { ok: false, reason: 'OK webhook without webhookType' };
  const mapper = okWebhookMappers[type] ?? unsupported(type);
  return mapper(body);
}
