import { type InferSchemaType, Schema } from 'mongoose';

/**
 * One change of a template version, claimed before it is made. The unique (templateId, seq) index
 * is what makes a change exclusive: of two moderators racing on the same version, only one insert
 * succeeds. (A `findOneAndUpdate` filtered on the expected status is atomic on MongoDB but not on
 * FerretDB under concurrency; unique indexes are enforced atomically by both.) Also the audit
 * trail of who did what to which version.
 */
export const templateClaimSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    templateId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    action: { type: String, required: true },
    credentialId: { type: String, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
templateClaimSchema.index({ templateId: 1, seq: 1 }, { unique: true });

export type TemplateClaimDoc = InferSchemaType<typeof templateClaimSchema>;
