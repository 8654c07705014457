import { z } from 'zod';

/**
 * The Cloud API webhook envelope (`WebhookPayload` in Meta's business-messaging OpenAPI, v23.0):
 * `{"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field","value"}]}]}`.
 * Loose objects: Meta adds fields over time, and unknown fields must not fail verification.
 */
export const webhookEnvelope = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

const contactProfile = z.looseObject({
  profile: z.looseObject({ name: z.string() }).optional(),
  wa_id: z.string().optional(),
});

/** One item of `messages[]`; the type-specific object is read by the mapper for its `type`. */
export const incomingMessage = z.looseObject({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string(),
  context: z.looseObject({ from: z.string().optional(), id: z.string() }).optional(),
});
export type IncomingMessage = z.output<typeof incomingMessage>;

const statusError = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

/** One item of `statuses[]` (`Statuses` in the OpenAPI). */
export const messageStatus = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  errors: z.array(statusError).optional(),
});
export type MessageStatus = z.output<typeof messageStatus>;

/** `changes[].value` of the `messages` field: incoming messages, statuses, or both. */
export const messagesValue = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({ display_phone_number: z.string(), phone_number_id: z.string() }),
  contacts: z.array(contactProfile).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});
export type MessagesValue = z.output<typeof messagesValue>;
