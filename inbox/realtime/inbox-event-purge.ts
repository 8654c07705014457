import { trusted } from 'mongoose';
import type { Models } from '../../src/storage/models';

/** How long stored inbox events are kept for `sync` replays: a client away longer reloads its lists. */
export const inboxEventRetentionMs = 7 * 24 * 60 * 60_000;

/**
 * Deletes inbox events older than the retention (what a TTL index would do; FerretDB v1 has none),
 * except each workspace's latest one: after a Redis flush the sequence is re-seeded from the
 * highest stored seq, so it must never go back to 0. Returns how many were deleted.
 */
export async function purgeOldInboxEvents(
  models: Models,
  now = new Date(),
  retentionMs = inboxEventRetentionMs,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionMs);
  const workspaceIds = await models.InboxEvent.distinct('workspaceId', {
    createdAt: trusted({ $lt: cutoff }),
  });
  let deleted = 0;
  for (const workspaceId of workspaceIds) {
    const latest = await models.InboxEvent.findOne({ workspaceId })
      .sort({ seq: -1 })
      .select({ seq: 1 })
      .lean()
      .exec();
    if (!latest) continue;
    const result = await models.InboxEvent.deleteMany({
      workspaceId,
      createdAt: trusted({ $lt: cutoff }),
      seq: trusted({ $lt: latest.seq }),
    }).exec();
    deleted += result.deletedCount;
  }
  return deleted;
}
