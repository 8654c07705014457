import { z } from 'zod';

/**
 * The Callback API envelope (dev.vk.com/ru/api/community-events/json-schema): every request has
 * `type`, `group_id`, and — except `confirmation` — `event_id` (stable across VK's retries),
 * `v` (API version of `object`), `secret` and `object`.
 */
export const callbackEnvelope = z.object({
  type: z.string().min(1).max(64),
  group_id: z.number().int(),
  event_id: z.string().min(1).max(128).optional(),
  v: z.string().optional(),
  secret: z.string().optional(),
  object: z.unknown().optional(),
});
export type CallbackEnvelope = z.output<typeof callbackEnvelope>;

const photoSize = z.object({
  type: z.string().optional(),
  url: z.string(),
  width: z.number(),
  height: z.number(),
});

/** Message attachments Vestnik maps (vk_objects.json `messages_message_attachment`). */
export const messageAttachment = z.object({
  type: z.string(),
  photo: z.object({ id: z.number(), owner_id: z.number(), sizes: z.array(photoSize).default([]) }).optional(),
  doc: z
    .object({
      title: z.string().default(''),
      url: z.string(),
      size: z.number().optional(),
      ext: z.string().optional(),
    })
    .optional(),
  audio_message: z
    .object({
      link_ogg: z.string().optional(),
      link_mp3: z.string().optional(),
      duration: z.number().optional(),
    })
    .optional(),
  video: z.object({ id: z.number(), owner_id: z.number(), title: z.string().optional() }).optional(),
  sticker: z.object({ images: z.array(photoSize).default([]) }).optional(),
  audio: z.object({ url: z.string().optional(), title: z.string().optional() }).optional(),
});
export type MessageAttachment = z.output<typeof messageAttachment>;

const geo = z.object({
  coordinates: z.object({ latitude: z.number(), longitude: z.number() }),
  place: z.object({ title: z.string().optional() }).optional(),
});

const quotedMessage = z.object({
  id: z.number().optional(),
  conversation_message_id: z.number().optional(),
  from_id: z.number().optional(),
  text: z.string().default(''),
  attachments: z.array(messageAttachment).default([]),
});

/** `messages_message` as it arrives in `message_new` (API 5.103+: inside `object.message`). */
export const incomingMessage = z.object({
  id: z.number().int(),
  conversation_message_id: z.number().int().optional(),
  date: z.number(),
  peer_id: z.number().int(),
  from_id: z.number().int(),
  text: z.string().default(''),
  /** A JSON string from a text button (some recorded payloads carry it already parsed). */
  payload: z.unknown().optional(),
  attachments: z.array(messageAttachment).default([]),
  geo: geo.optional(),
  reply_message: quotedMessage.optional(),
  fwd_messages: z.array(quotedMessage).default([]),
});
export type IncomingMessage = z.output<typeof incomingMessage>;

export const messageNewObject = z.object({ message: incomingMessage });

/** `message_event`: a callback button press. `event_id` here is what sendMessageEventAnswer takes. */
export const messageEventObject = z.object({
  user_id: z.number().int(),
  peer_id: z.number().int(),
  event_id: z.string().min(1).max(128),
  payload: z.unknown().optional(),
  conversation_message_id: z.number().int().optional(),
});

export const messageReadObject = z.object({
  from_id: z.number().int(),
  peer_id: z.number().int(),
  read_message_id: z.number().int(),
  conversation_message_id: z.number().int().optional(),
});

export const messageAllowObject = z.object({ user_id: z.number().int(), key: z.string().optional() });
export const messageDenyObject = z.object({ user_id: z.number().int() });
