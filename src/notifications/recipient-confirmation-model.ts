import { type InferSchemaType, Schema } from 'mongoose';

/**
 * A customer's "yes, this is my number" on one channel, remembered for 30 days (checked on read:
 * no TTL indexes). One record per (workspace, channel, phone); a new confirmation refreshes it.
 */
export const recipientConfirmationSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    phone: { type: String, required: true },
    externalUserId: { type: String, required: true },
    confirmedAt: { type: Date, required: true },
  },
  { timestamps: true, strict: 'throw', collection: 'recipient_confirmations' },
);
recipientConfirmationSchema.index({ workspaceId: 1, channelId: 1, phone: 1 }, { unique: true });

export type RecipientConfirmationDoc = InferSchemaType<typeof recipientConfirmationSchema>;
