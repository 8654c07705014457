import { type InferSchemaType, Schema } from 'mongoose';
import { notificationStatuses } from './notification-status';

/**
 * One notification: what to send to whom, along which route. Attempts (one per route step that
 * ran) live in `notification_attempts`. `to` may hold a phone number: it stays in MongoDB, never
 * in Redis jobs or logs.
 */
export const notificationSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    to: {
      phone: { type: String, default: null },
      contactId: { type: Schema.Types.ObjectId, default: null },
      channelId: { type: Schema.Types.ObjectId, default: null },
      externalUserId: { type: String, default: null },
    },
    template: {
      id: { type: Schema.Types.ObjectId, required: true },
      name: { type: String, required: true },
      version: { type: Number, required: true },
    },
    params: { type: Schema.Types.Mixed, default: {} },
    /** Steps in order; `channel` as the caller gave it (id or type), `channelId` as resolved at accept time. */
    route: [
      {
        _id: false,
        channel: { type: String, required: true },
        channelId: { type: Schema.Types.ObjectId, required: true },
        channelType: { type: String, required: true },
        ttlSeconds: { type: Number, required: true },
      },
    ],
    verifyRecipient: { type: Boolean, default: false },
    metadata: { type: Schema.Types.Mixed, default: {} },
    callbackUrl: { type: String, default: null },
    status: { type: String, enum: notificationStatuses, required: true },
    /** Step the route is on (the highest step that started). */
    step: { type: Number, default: 0 },
    /** Channel ids and types tried so far, for filtering by channel. */
    channels: { type: [String], default: [] },
    /** Delivered on some step: the only notifications the business pays for. */
    billable: { type: Boolean, default: false },
    /** Why the last step failed when the route ended without delivery. */
    finalReason: { type: String, default: null },
    /** When each overall status was first reached. */
    statusTimes: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, strict: 'throw', minimize: false, collection: 'notifications' },
);
notificationSchema.index({ workspaceId: 1, _id: -1 });
notificationSchema.index({ workspaceId: 1, status: 1, _id: -1 });
notificationSchema.index({ workspaceId: 1, 'to.phone': 1, _id: -1 });
notificationSchema.index({ workspaceId: 1, channels: 1, _id: -1 });
notificationSchema.index({ status: 1, updatedAt: 1 });

export type NotificationDoc = InferSchemaType<typeof notificationSchema>;
