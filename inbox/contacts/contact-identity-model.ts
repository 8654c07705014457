import { type InferSchemaType, Schema } from 'mongoose';

/**
 * Who a platform user is, claimed once: unique on (workspace, channel, external user id). Several
 * ingesting processes that see a new user at once race on this insert; the loser reads the
 * winner's contact, so one person never becomes two contacts. (A unique index on the contact's
 * `identities` array would not do this on FerretDB.)
 */
export const contactIdentitySchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    externalUserId: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true, strict: 'throw', collection: 'contact_identities' },
);
contactIdentitySchema.index({ workspaceId: 1, channelId: 1, externalUserId: 1 }, { unique: true });
contactIdentitySchema.index({ workspaceId: 1, contactId: 1 });

export type ContactIdentityDoc = InferSchemaType<typeof contactIdentitySchema>;
