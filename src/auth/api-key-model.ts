import { type InferSchemaType, Schema } from 'mongoose';
import { scopes } from './scopes';

export const apiKeySchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true, index: true },
    name: { type: String, required: true, maxlength: 120 },
    /** Visible, non-secret part of the key (`vst_<prefix>_…`), unique: how a key is found and revoked. */
    prefix: { type: String, required: true, unique: true },
    /** SHA-256 of the whole key. The key itself is shown once and never stored. */
    hash: { type: String, required: true },
    scopes: { type: [String], enum: scopes, default: [] },
    allowIps: { type: [String], default: [] },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);

export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema>;
