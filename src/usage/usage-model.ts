import { type InferSchemaType, Schema } from 'mongoose';

/**
 * One delivered notification attempt, counted for usage (and billing: only delivered messages
 * count). The unique `attemptId` makes recording idempotent: a repeated delivery callback or a
 * retried job inserts nothing new. Counters are derived by grouping these records, never kept with
 * `$inc` (not atomic under concurrency on FerretDB v1).
 */
export const usageSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    channelType: { type: String, required: true },
    /** UTC calendar day of `deliveredAt`, `YYYY-MM-DD`. */
    day: { type: String, required: true },
    notificationId: { type: Schema.Types.ObjectId, required: true },
    attemptId: { type: Schema.Types.ObjectId, required: true },
    deliveredAt: { type: Date, required: true },
  },
  { collection: 'usage', strict: 'throw', versionKey: false },
);
usageSchema.index({ attemptId: 1 }, { unique: true });
usageSchema.index({ workspaceId: 1, day: 1 });

export type UsageDoc = InferSchemaType<typeof usageSchema>;
