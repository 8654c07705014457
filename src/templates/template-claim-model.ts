import { type InferSchemaType, type Model, Schema, type Types, type UpdateQuery } from 'mongoose';
import { TenantRepository, trustedWorkspaceId } from '../storage/tenant-repository';
import { claimUnique } from '../storage/unique-claim';
import type { StoredTemplate, TemplateDoc } from './template-model';

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

/** What a claim is made on: a version as last read (its `seq` is the change being claimed). */
export interface ClaimTarget {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  seq: number;
}

type TemplateModels = { Template: Model<TemplateDoc>; TemplateClaim: Model<TemplateClaimDoc> };

/**
 * Claims the change after `current.seq` of a template version; false when another change claimed
 * it first. A claim whose change never landed is taken over after a minute (`claimUnique`).
 */
function claimTemplateChange(
  models: TemplateModels,
  current: ClaimTarget,
  action: string,
  credentialId: string | null,
): Promise<boolean> {
  const key = { templateId: current._id, seq: current.seq };
  const stillOpen = async () =>
    (await models.Template.findById(current._id).select({ seq: 1 }).lean().exec())?.seq === current.seq;
  return claimUnique(
    models.TemplateClaim,
    key,
    { workspaceId: current.workspaceId, action, credentialId },
    stillOpen,
  );
}

/** One change of a version: what it is called in the claims, who made it, what it sets. */
export interface TemplateChange {
  action: string;
  credentialId: string | null;
  set: UpdateQuery<TemplateDoc>['$set'];
}

/**
 * Makes one change of a template version as last read: claims the change after `current.seq`,
 * then sets `change.set` on the version only if its `seq` is still the one claimed (and moves
 * `seq` on). The changed version, or null when another change claimed or landed first.
 */
export async function changeTemplate(
  models: TemplateModels,
  current: ClaimTarget,
  change: TemplateChange,
): Promise<StoredTemplate | null> {
  if (!(await claimTemplateChange(models, current, change.action, change.credentialId))) return null;
  const updated = await new TenantRepository(models.Template).updateOneWhere(
    trustedWorkspaceId(String(current.workspaceId)),
    String(current._id),
    { seq: current.seq },
    { $set: change.set, $inc: { seq: 1 } },
  );
  return updated as StoredTemplate | null;
}
