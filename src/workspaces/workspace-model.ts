import { type InferSchemaType, Schema } from 'mongoose';

export const workspaceSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    /** A workspace created by local-mode seeding, shown as such in listings. */
    demo: { type: Boolean, default: false },
  },
  { timestamps: true, strict: 'throw' },
);

export type WorkspaceDoc = InferSchemaType<typeof workspaceSchema>;
