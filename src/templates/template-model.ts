import { type InferSchemaType, Schema } from 'mongoose';
import { channelKinds } from '../../adapters/contract';
import { templateCategories } from './template-schema';

export const templateStatuses = ['draft', 'pending', 'approved', 'rejected'] as const;
export type TemplateStatus = (typeof templateStatuses)[number];

/**
 * One version of a message template. Versions of one template share `name`; an `approved`
 * version is never changed again (editing it makes the next version). `placeholders` is
 * derived from `body` and `advertisingTail` on every write.
 */
export const templateSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    version: { type: Number, required: true, min: 1 },
    status: { type: String, enum: templateStatuses, required: true },
    body: { type: String, required: true },
    advertisingTail: { type: String, default: null },
    category: { type: String, enum: templateCategories, required: true },
    channels: { type: [{ type: String, enum: channelKinds }], default: [] },
    buttons: { type: [Schema.Types.Mixed], default: [] },
    imageIds: { type: [String], default: [] },
    placeholders: { type: [String], default: [] },
    rejectionReason: { type: String, default: null },
    /** Credential id (API key or operator session) of whoever approved or rejected it. */
    moderatedBy: { type: String, default: null },
    moderatedAt: { type: Date, default: null },
    /** Changes made so far; each change claims `seq` in template claims first (see there). */
    seq: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
templateSchema.index({ workspaceId: 1, name: 1, version: 1 }, { unique: true });
templateSchema.index({ workspaceId: 1, status: 1 });

export type TemplateDoc = InferSchemaType<typeof templateSchema>;
