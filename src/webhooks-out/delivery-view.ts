import type { Types } from 'mongoose';
import { z } from 'zod';
import {
  type AttemptError,
  type AttemptOutcome,
  attemptErrors,
  attemptOutcomes,
  type DeliveryState,
  deliveryStates,
  type WebhookAttemptDoc,
  type WebhookDeliveryDoc,
} from './webhook-models';

export type StoredDelivery = WebhookDeliveryDoc & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const attemptViewSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'HTTP status; null when there was no answer.' }),
  error: z
    .enum(attemptErrors)
    .nullable()
    .meta({ description: 'Why the attempt failed, when it did without a usable answer.' }),
  errorDetail: z.string(),
  responseSnippet: z.string().meta({ description: 'The start of the answer body (1 KB at most).' }),
  durationMs: z.number(),
  outcome: z.enum(attemptOutcomes),
  nextRetryAt: z.string().nullable(),
});

/** One delivery (an event on its way to one endpoint) with its attempts, oldest first. */
export const deliveryViewSchema = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: 'Sent as `webhook-id`; the same on every attempt.' }),
    eventType: z.string(),
    state: z.enum(deliveryStates).meta({
      description:
        'pending: an attempt is due at nextAttemptAt; succeeded: 2xx; failed: stopped early (410, refused address, endpoint deleted or disabled); dead: every attempt failed.',
    }),
    attemptCount: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    attempts: z.array(attemptViewSchema),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveryPageSchema = z.object({
  items: z.array(deliveryViewSchema),
  nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for older deliveries.' }),
});

/** One attempt as the API shows it. */
export type AttemptView = z.input<typeof attemptViewSchema>;
export type DeliveryView = z.input<typeof deliveryViewSchema>;
/** `nextCursor`: pass as `cursor` for the next (older) page; null on the last page. */
export type DeliveryPage = z.input<typeof deliveryPageSchema>;

export function deliveryView(doc: StoredDelivery, attempts: AttemptView[]): DeliveryView {
  return {
    id: String(doc._id),
    eventId: doc.eventId,
    eventType: doc.eventType,
    state: doc.state as DeliveryState,
    attemptCount: doc.attemptCount,
    nextAttemptAt: doc.nextAttemptAt?.toISOString() ?? null,
    lastStatusCode: doc.lastStatusCode ?? null,
    lastError: doc.lastError,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    attempts,
  };
}

export function attemptView(doc: WebhookAttemptDoc): AttemptView {
  return {
    attempt: doc.attempt,
    at: doc.at.toISOString(),
    statusCode: doc.statusCode ?? null,
    error: (doc.error ?? null) as AttemptError | null,
    errorDetail: doc.errorDetail,
    responseSnippet: doc.responseSnippet,
    durationMs: doc.durationMs,
    outcome: doc.outcome as AttemptOutcome,
    nextRetryAt: doc.nextRetryAt?.toISOString() ?? null,
  };
}
