import type { Types } from 'mongoose';
import { AppError, type FieldError } from '../../src/errors/app-error';
import { isDuplicateKey } from '../../src/storage/duplicate-key';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { contactListing } from './contact-resolver';

interface IdentityClaim {
  channelId: string;
  externalUserId: string;
}

/**
 * Claims each identity for `contactId` in ContactIdentity (unique per workspace, channel and user
 * id). An identity another contact holds — claimed, or listed on an older contact — fails the
 * whole call with 409 `resource.conflict` naming the field; the claims this call made are given
 * back. Repeating an identity within one call is a conflict too.
 */
export async function claimIdentities(
  models: Models,
  workspaceId: WorkspaceId,
  contactId: Types.ObjectId,
  identities: readonly IdentityClaim[],
): Promise<void> {
  const made: IdentityClaim[] = [];
  const conflicts: FieldError[] = [];
  for (const [index, { channelId, externalUserId }] of identities.entries()) {
    const identity = { channelId, externalUserId };
    const problem = await claimOne(models, workspaceId, contactId, identity, made);
    if (problem) conflicts.push({ path: `body.identities.${index}.externalUserId`, message: problem });
    else made.push(identity);
  }
  if (conflicts.length === 0) return;
  for (const identity of made) {
    await models.ContactIdentity.deleteOne({ workspaceId, ...identity, contactId }).exec();
  }
  throw new AppError(
    'resource.conflict',
    `${conflicts.map((entry) => entry.path).join(', ')}: this identity already belongs to another contact of this workspace (merge the contacts instead).`,
    { errors: conflicts },
  );
}

async function claimOne(
  models: Models,
  workspaceId: WorkspaceId,
  contactId: Types.ObjectId,
  identity: IdentityClaim,
  made: readonly IdentityClaim[],
): Promise<string | null> {
  const same = (other: IdentityClaim) =>
    other.channelId === identity.channelId && other.externalUserId === identity.externalUserId;
  if (made.some(same)) return 'the same identity is listed twice';
  const listed = await contactListing(models, workspaceId, identity.channelId, identity.externalUserId);
  if (listed) return `another contact (${String(listed._id)}) has this identity`;
  try {
    await models.ContactIdentity.create({ workspaceId, ...identity, contactId });
    return null;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const owner = await models.ContactIdentity.findOne({ workspaceId, ...identity })
      .lean()
      .exec();
    return `another contact (${String(owner?.contactId ?? 'unknown')}) has this identity`;
  }
}
