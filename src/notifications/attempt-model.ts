import { type InferSchemaType, Schema } from 'mongoose';
import { attemptStatuses } from './notification-status';

/**
 * One route step of a notification that started. The unique (notificationId, step) index makes
 * starting a step a claim: however many workers, duplicate callbacks or sweeps ask for the
 * fallback to step N, exactly one attempt N exists.
 */
export const attemptSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    notificationId: { type: Schema.Types.ObjectId, required: true },
    step: { type: Number, required: true, min: 0 },
    channelId: { type: Schema.Types.ObjectId, required: true },
    channelType: { type: String, required: true },
    status: { type: String, enum: attemptStatuses, required: true },
    /** Every status reached, with when and why. */
    history: [
      {
        _id: false,
        status: { type: String, enum: attemptStatuses, required: true },
        at: { type: Date, required: true },
        reason: { type: String, default: null },
      },
    ],
    externalMessageId: { type: String, default: null },
    /** Why the attempt failed or was skipped (`content-unsupported`, `recipient-daily-limit`, `blocked`, …). */
    reason: { type: String, default: null },
    detail: { type: String, default: null },
    ttlSeconds: { type: Number, required: true },
    /** TTL deadline, from when the step started. */
    expiresAt: { type: Date, required: true },
    /** When the step was admitted (limits taken); sends from then on use the attempt id as message id. */
    sendStartedAt: { type: Date, default: null },
    /** Who the step addressed (phone, chat user or e-mail), kept to withdraw the message later. */
    recipient: { type: Schema.Types.Mixed, default: null },
    sendTries: { type: Number, default: 0 },
    /** Recipient-cap reservation and SMS spend, released if the send fails permanently. */
    capToken: { type: String, default: null },
    spend: { type: Schema.Types.Mixed, default: null },
    /** Whether the expired chat message was deleted for the customer. */
    withdrawn: { type: Boolean, default: null },
    /** Recipient verification question state, when `verifyRecipient` asked on this step. */
    verification: { type: Schema.Types.Mixed, default: null },
    /** The text sent, for the timeline and the inbox's reply context. */
    text: { type: String, default: null },
  },
  { timestamps: true, strict: 'throw', minimize: false, collection: 'notification_attempts' },
);
attemptSchema.index({ notificationId: 1, step: 1 }, { unique: true });
attemptSchema.index({ channelId: 1, externalMessageId: 1 });
attemptSchema.index({ status: 1, expiresAt: 1 });

export type AttemptDoc = InferSchemaType<typeof attemptSchema>;
