import { type InferSchemaType, Schema } from 'mongoose';

/** Operator login sessions. Expired ones are purged by the housekeeping job (no TTL indexes: FerretDB). */
export const sessionSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    operatorId: { type: Schema.Types.ObjectId, required: true, index: true },
    /** SHA-256 of the session token; the token itself is only held by the browser. */
    tokenHash: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true, index: true },
    ip: { type: String, default: '' },
  },
  { timestamps: true, strict: 'throw' },
);

export type SessionDoc = InferSchemaType<typeof sessionSchema>;
