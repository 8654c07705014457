import { type InferSchemaType, Schema } from 'mongoose';

/**
 * Every inbox event pushed to operators, stored under its per-workspace sequence number so a
 * reconnecting client can ask for everything after the last one it saw. Purged after 7 days
 * (`inboxEventRetentionMs`) by housekeeping, each workspace's latest kept (no TTL index on FerretDB v1).
 */
export const inboxEventSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, default: null },
    /** Operator the event is only for (e.g. an assignment notice); null: the whole workspace. */
    operatorId: { type: Schema.Types.ObjectId, default: null },
    data: { type: Schema.Types.Mixed, required: true },
  },
  {
    timestamps: { createdAt: true, updatedAt: false },
    strict: 'throw',
    minimize: false,
    collection: 'inbox_events',
  },
);
inboxEventSchema.index({ workspaceId: 1, seq: 1 }, { unique: true });
inboxEventSchema.index({ createdAt: 1 });

export type InboxEventDoc = InferSchemaType<typeof inboxEventSchema>;
