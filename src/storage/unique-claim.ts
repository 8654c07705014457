import type { Model } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/** A claim left by a caller that died between claiming and changing is taken over after this. */
export const staleClaimMs = 60_000;

async function insert<T>(model: Model<T>, doc: object): Promise<boolean> {
  try {
    await model.create(doc as never);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Claims a change by inserting `doc` under a unique index whose fields are `key`: of racing
 * callers exactly one gets `true`, on MongoDB and on FerretDB alike (a conditional update is not
 * atomic on FerretDB v1 under concurrency; a unique index is). The holder then makes its change.
 *
 * A claim older than `staleClaimMs` whose change never landed (`stillOpen()`: the document still
 * stands where the claim was made) is deleted and claimed again, once: a process that died between
 * claiming and changing does not wedge the document. Two callers taking over the same stale claim
 * still cannot both win: only one re-insert succeeds.
 * Not promised: fairness, or that a claim is kept as an audit record after a takeover.
 */
export async function claimUnique<T>(
  model: Model<T>,
  key: Record<string, unknown>,
  doc: Record<string, unknown>,
  stillOpen: () => Promise<boolean>,
): Promise<boolean> {
  if (await insert(model, { ...key, ...doc })) return true;
  const existing = (await model
    .findOne(key as never)
    .lean()
    .exec()) as { _id: unknown; createdAt?: Date } | null;
  const old = existing?.createdAt && existing.createdAt.getTime() < Date.now() - staleClaimMs;
  if (!existing || !old || !(await stillOpen())) return false;
  await model.deleteOne({ _id: existing._id, createdAt: existing.createdAt } as never).exec();
  return insert(model, { ...key, ...doc });
}
