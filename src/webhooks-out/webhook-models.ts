import { type InferSchemaType, Schema } from 'mongoose';

/** `*` in an endpoint's event filter: every event type, including ones added later. */
export const ALL_EVENTS = '*';

export const endpointStates = ['active', 'disabled'] as const;

/**
 * A business URL that receives the workspace's events. The `whsec_` secret is sealed
 * (AES-256-GCM, bound to the endpoint id) and shown to the business once, at creation.
 */
export const webhookEndpointSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    url: { type: String, required: true },
    description: { type: String, default: '' },
    /** Subscribed event types, or `['*']` for all of them. */
    eventTypes: { type: [String], required: true },
    secret: { type: String, required: true },
    state: { type: String, enum: endpointStates, default: 'active' },
    /** Why the endpoint was disabled (a `410 Gone`); empty while active. */
    disabledReason: { type: String, default: '' },
    disabledAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
webhookEndpointSchema.index({ workspaceId: 1, state: 1 });

/**
 * One published event. The unique (workspaceId, eventId) index makes a second publish of the same
 * id a no-op. `payload` is the exact JSON body every delivery of the event sends.
 */
export const webhookEventSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    payload: { type: String, required: true },
    /** The notification's own callback URL, delivered to besides the endpoints. */
    callbackUrl: { type: String, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
webhookEventSchema.index({ workspaceId: 1, eventId: 1 }, { unique: true });

export const deliveryStates = ['pending', 'succeeded', 'failed', 'dead'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/**
 * One event on its way to one destination: an endpoint, or the event's callback URL (then
 * `endpointId` is null and `url` is set). `target` (the endpoint id, or `callback:<workspaceId>`)
 * with `eventId` is unique, so an event reaches each destination through one delivery.
 */
export const webhookDeliverySchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    endpointId: { type: Schema.Types.ObjectId, default: null },
    target: { type: String, required: true },
    url: { type: String, default: null },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    state: { type: String, enum: deliveryStates, default: 'pending' },
    attemptCount: { type: Number, default: 0 },
    /** When the next attempt is due; null once the delivery is settled. */
    nextAttemptAt: { type: Date, default: null },
    lastStatusCode: { type: Number, default: null },
    lastError: { type: String, default: '' },
  },
  { timestamps: true, strict: 'throw' },
);
webhookDeliverySchema.index({ target: 1, eventId: 1 }, { unique: true });
webhookDeliverySchema.index({ workspaceId: 1, endpointId: 1, _id: -1 });
webhookDeliverySchema.index({ state: 1, nextAttemptAt: 1 });

export const attemptErrors = ['timeout', 'network', 'refused-address', 'endpoint-gone'] as const;
export const attemptOutcomes = ['succeeded', 'retrying', 'failed', 'dead'] as const;
export type AttemptError = (typeof attemptErrors)[number];
export type AttemptOutcome = (typeof attemptOutcomes)[number];

/** One HTTP attempt of a delivery; unique per (deliveryId, attempt), so a re-run records once. */
export const webhookAttemptSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    deliveryId: { type: Schema.Types.ObjectId, required: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
    statusCode: { type: Number, default: null },
    error: { type: String, enum: attemptErrors, default: null },
    errorDetail: { type: String, default: '' },
    /** The start of the receiver's answer (at most 1 KB), for debugging. */
    responseSnippet: { type: String, default: '' },
    durationMs: { type: Number, required: true },
    outcome: { type: String, enum: attemptOutcomes, required: true },
    nextRetryAt: { type: Date, default: null },
  },
  { timestamps: false, strict: 'throw' },
);
webhookAttemptSchema.index({ deliveryId: 1, attempt: 1 }, { unique: true });

/** The secret that signs deliveries to the callback URLs of a workspace's notifications. */
export const webhookSigningSecretSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    secret: { type: String, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
webhookSigningSecretSchema.index({ workspaceId: 1 }, { unique: true });

export type WebhookEndpointDoc = InferSchemaType<typeof webhookEndpointSchema>;
export type WebhookEventDoc = InferSchemaType<typeof webhookEventSchema>;
export type WebhookDeliveryDoc = InferSchemaType<typeof webhookDeliverySchema>;
export type WebhookAttemptDoc = InferSchemaType<typeof webhookAttemptSchema>;
export type WebhookSigningSecretDoc = InferSchemaType<typeof webhookSigningSecretSchema>;
