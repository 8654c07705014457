import { type InferSchemaType, Schema } from 'mongoose';

/**
 * A person a workspace talks to, with their identity on each channel (VK id, Telegram chat id,
 * Viber id, WhatsApp wa_id…) and their phone and e-mail where known. Notifications addressed by
 * phone or contact find the channel identities here.
 */
export const contactSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, default: null, maxlength: 200 },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    identities: [
      {
        _id: false,
        channelId: { type: Schema.Types.ObjectId, required: true },
        channelType: { type: String, required: true },
        externalUserId: { type: String, required: true },
      },
    ],
  },
  { timestamps: true, strict: 'throw', minimize: false, collection: 'contacts' },
);
contactSchema.index({ workspaceId: 1, phone: 1 });
contactSchema.index({ workspaceId: 1, 'identities.channelId': 1, 'identities.externalUserId': 1 });

export type ContactDoc = InferSchemaType<typeof contactSchema>;
