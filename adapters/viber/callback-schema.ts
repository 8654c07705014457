import { z } from 'zod';
import { viberJson } from './viber-transport';

/**
 * A 64-bit `message_token`: json-bigint hands integers above 15 digits over as decimal strings and
 * smaller ones as numbers; both become the exact decimal string.
 */
const messageToken = z
  .union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()])
  .transform((token) => String(token));

/** A number json-bigint may have kept as a string (more than 15 characters, e.g. a precise latitude). */
const looseNumber = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)])
  .transform((value) => Number(value));

/** `sender` of a message, `user` of subscribed / conversation_started (Viber REST API, Callbacks). */
export const viberUserSchema = z.looseObject({
  id: z.string().min(1).max(200),
  name: z.string().max(1000).optional(),
  avatar: z.string().max(5000).optional(),
  language: z.string().max(50).optional(),
  country: z.string().max(10).optional(),
});

/** Fields every callback carries. */
export const viberEnvelopeSchema = z.looseObject({
  event: z.string().min(1).max(100),
  timestamp: looseNumber,
  message_token: messageToken,
});

/** `message.message` (Viber REST API, "Receive message from user"). */
export const viberInboundMessageSchema = z.looseObject({
  type: z.string().min(1).max(50),
  text: z.string().optional(),
  media: z.string().max(10_000).optional(),
  thumbnail: z.string().max(10_000).optional(),
  file_name: z.string().max(1000).optional(),
  size: looseNumber.optional(),
  duration: looseNumber.optional(),
  sticker_id: looseNumber.optional(),
  location: z.looseObject({ lat: looseNumber, lon: looseNumber }).optional(),
  contact: z.looseObject({ name: z.string(), phone_number: z.string().optional() }).optional(),
  tracking_data: z.string().optional(),
});

export const viberMessageCallbackSchema = viberEnvelopeSchema.extend({
  sender: viberUserSchema,
  message: viberInboundMessageSchema,
});

export const viberReceiptCallbackSchema = viberEnvelopeSchema.extend({
  user_id: z.string().min(1).max(200),
  desc: z.string().max(5000).optional(),
});

export const viberUserCallbackSchema = viberEnvelopeSchema.extend({ user: viberUserSchema });

export const viberUnsubscribedCallbackSchema = viberEnvelopeSchema.extend({
  user_id: z.string().min(1).max(200),
});

export type ViberInboundMessage = z.output<typeof viberInboundMessageSchema>;

/** Parses a callback body keeping 64-bit integers exact; `undefined` when it is not a JSON object. */
export function parseViberCallback(rawBody: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = viberJson.parse(rawBody.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
