import { type InferSchemaType, Schema } from 'mongoose';

/**
 * A reply operators insert by shortcut. `text` may hold placeholders such as `{{contact.name}}`
 * and `{{operator.name}}`, filled when inserted.
 */
export const cannedResponseSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    /** Typed after `/` in the composer; unique per workspace. */
    shortcut: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
  },
  { timestamps: true, strict: 'throw', collection: 'canned_responses' },
);
cannedResponseSchema.index({ workspaceId: 1, shortcut: 1 }, { unique: true });

export type CannedResponseDoc = InferSchemaType<typeof cannedResponseSchema>;
