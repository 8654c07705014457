import { type InferSchemaType, Schema } from 'mongoose';
import { operatorRoles } from './scopes';

export const operatorSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, default: '' },
    role: { type: String, enum: operatorRoles, required: true },
    /** scrypt hash, `scrypt$N$r$p$salt$hash` (see passwords.ts). */
    passwordHash: { type: String, required: true },
    disabledAt: { type: Date, default: null },
    /** Conversations auto-assignment gives this operator at most (0: none). */
    maxConversations: { type: Number, default: 5, min: 0, max: 1000 },
  },
  { timestamps: true, strict: 'throw' },
);
operatorSchema.index({ workspaceId: 1, email: 1 }, { unique: true });
operatorSchema.index({ email: 1 });

export type OperatorDoc = InferSchemaType<typeof operatorSchema>;
