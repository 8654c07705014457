import { type InferSchemaType, Schema, type Types } from 'mongoose';
import { channelKinds } from '../../adapters/contract';
import { templateCategories } from './template-schema';

export const templateStatuses = ['draft', 'pending', 'approved', 'rejected'] as const;
export type TemplateStatus = (typeof templateStatuses)[number];

export const platformApprovalStatuses = ['pending', 'approved', 'rejected'] as const;
export type PlatformApprovalStatus = (typeof platformApprovalStatuses)[number];

/**
 * Where one approved version stands with a channel whose platform moderates templates itself
 * (the notification gateway, WhatsApp). `submittedAt: null` with `pending` means not yet accepted
 * by the platform (the poller retries); `lastError` says why the last attempt failed.
 */
const platformApprovalSchema = new Schema(
  {
    channelId: { type: String, required: true },
    channelType: { type: String, enum: channelKinds, required: true },
    /** The template's name on the platform: `name` for version 1, `name_v<N>` after. */
    platformName: { type: String, required: true },
    status: { type: String, enum: platformApprovalStatuses, required: true },
    reason: { type: String, default: null },
    submittedAt: { type: Date, default: null },
    decidedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { _id: false },
);

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
    /** Per-channel platform moderation of an approved version (content stays unchanged). */
    platformApprovals: { type: [platformApprovalSchema], default: [] },
    /** Changes made so far; each change claims `seq` in template claims first (see there). */
    seq: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
templateSchema.index({ workspaceId: 1, name: 1, version: 1 }, { unique: true });
templateSchema.index({ workspaceId: 1, status: 1 });

export type PlatformApproval = InferSchemaType<typeof platformApprovalSchema>;
/** A stored version as `.lean()` reads it: platform approvals are plain objects, not subdocuments. */
export type TemplateDoc = Omit<InferSchemaType<typeof templateSchema>, 'platformApprovals'> & {
  platformApprovals: PlatformApproval[];
};

/** A stored version with its id, as repositories return it. */
export type StoredTemplate = TemplateDoc & { _id: Types.ObjectId };
