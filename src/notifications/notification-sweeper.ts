import { trusted } from 'mongoose';
import { expireAttempt } from './attempt-events';
import { refreshNotification } from './attempt-outcomes';
import {
  ensureJob,
  type NotificationContext,
  notificationJobs,
  type StoredAttempt,
  type StoredNotification,
} from './notification-context';
import { isFailed } from './notification-status';

export interface SweepOptions {
  /** Notifications untouched for this long are checked (default 30 s). */
  staleAfterMs?: number;
  /** At most this many per sweep, oldest first (default 2000). */
  limit?: number;
}

/**
 * Repairs work whose job was lost (Redis flushed or restarted, an enqueue that failed after the
 * 202): every unfinished notification not touched for a while gets the job its state needs —
 * the current step's send, its TTL timer, or the next step — and a TTL already past is applied at
 * once. Jobs have deterministic ids, so a sweep that races a live job adds nothing.
 */
export async function sweepNotifications(
  ctx: NotificationContext,
  options: SweepOptions = {},
): Promise<{ checked: number }> {
  const { staleAfterMs = 30_000, limit = 2000 } = options;
  const stale = (await ctx.models.Notification.find({
    status: trusted({ $in: ['accepted', 'queued', 'sent'] }),
    updatedAt: trusted({ $lt: new Date(Date.now() - staleAfterMs) }),
  })
    .sort({ updatedAt: 1 })
    .limit(limit)
    .select({ _id: 1, route: 1, status: 1 })
    .lean()
    .exec()) as SweptNotification[];
  for (const notification of stale) {
    await repair(ctx, notification);
    await markChecked(ctx, String(notification._id));
  }
  return { checked: stale.length };
}

/**
 * Moves a checked notification to the back of the sweep order. Under the notification's lock, like
 * every write to it: FerretDB applies an update by rewriting the whole document, so an unlocked
 * write here would undo a status change a worker stores at the same moment.
 */
async function markChecked(ctx: NotificationContext, id: string): Promise<void> {
  await ctx.lock(id, () =>
    ctx.models.Notification.updateOne(
      { _id: id },
      { $set: { updatedAt: new Date() } },
      { timestamps: false },
    ).exec(),
  );
}

type SweptNotification = Pick<StoredNotification, '_id' | 'route' | 'status'>;

async function repair(ctx: NotificationContext, notification: SweptNotification) {
  const id = String(notification._id);
  const last = (await ctx.models.NotificationAttempt.findOne({ notificationId: notification._id })
    .sort({ step: -1 })
    .lean()
    .exec()) as StoredAttempt | null;
  if (!last) return ensureJob(ctx.queue, notificationJobs.step(id, 0));
  if (last.status === 'queued' || last.status === 'sending') {
    return ensureJob(ctx.queue, notificationJobs.step(id, last.step));
  }
  if (last.status === 'sent') {
    // The worker that sent it may have died before the notification followed its attempt.
    if (notification.status !== 'sent') await ctx.lock(id, () => refreshNotification(ctx, id));
    if (last.expiresAt.getTime() <= Date.now()) return void (await expireAttempt(ctx, id, String(last._id)));
    return ensureJob(ctx.queue, notificationJobs.expire(id, String(last._id), last.expiresAt));
  }
  if (isFailed(last.status) && last.step + 1 < notification.route.length) {
    return ensureJob(ctx.queue, notificationJobs.step(id, last.step + 1));
  }
  await ctx.lock(id, () => refreshNotification(ctx, id));
}
