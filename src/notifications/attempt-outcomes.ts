import { trusted } from 'mongoose';
import type { Recipient } from '../../adapters/contract';
import { trustedWorkspaceId } from '../storage/tenant-repository';
import {
  ensureJob,
  type NotificationContext,
  notificationJobs,
  type StoredAttempt,
  type StoredNotification,
} from './notification-context';
import { type AttemptStatus, canMove, isFailed, isReached, overallStatus } from './notification-status';

export interface MoveDetails {
  reason?: string | null;
  detail?: string | null;
  externalMessageId?: string;
  text?: string;
  at?: Date;
  withdrawn?: boolean;
}

/**
 * Moves an attempt to `next` if the move is forward (see `canMove`), records it in the attempt's
 * history, counts a first delivery for usage, refreshes the notification's overall status and,
 * when the attempt failed, starts the next route step. Call it holding the notification's lock.
 * Returns false (changing nothing) for a late, duplicate or backward move.
 */
export async function moveAttempt(
  ctx: NotificationContext,
  attempt: StoredAttempt,
  next: AttemptStatus,
  details: MoveDetails = {},
): Promise<boolean> {
  if (!canMove(attempt.status, next)) return false;
  const at = details.at ?? new Date();
  const entries = [{ status: next, at, reason: details.reason ?? null }];
  const wasReached = attempt.history.some((entry) => isReached(entry.status));
  if (next === 'read' && !wasReached) entries.unshift({ status: 'delivered', at, reason: null });
  if (isReached(next) && !attempt.history.some((entry) => entry.status === 'sent')) {
    entries.unshift({ status: 'sent', at, reason: null });
  }
  const set: Record<string, unknown> = { status: next };
  if (details.reason !== undefined) set.reason = details.reason;
  if (details.detail !== undefined) set.detail = details.detail;
  if (details.externalMessageId !== undefined) set.externalMessageId = details.externalMessageId;
  if (details.text !== undefined) set.text = details.text;
  if (details.withdrawn !== undefined) set.withdrawn = details.withdrawn;
  await ctx.models.NotificationAttempt.updateOne(
    { _id: attempt._id },
    { $set: set, $push: { history: trusted({ $each: entries }) } },
  ).exec();
  if (isReached(next) && !wasReached) await countDelivery(ctx, attempt, at);
  const notification = await refreshNotification(ctx, String(attempt.notificationId));
  if (isFailed(next) && attempt.step + 1 < (notification?.route.length ?? 0)) {
    await ensureJob(ctx.queue, notificationJobs.step(String(attempt.notificationId), attempt.step + 1));
  }
  // Not awaited: the notification's own path (its lock, status, next step) never waits for the
  // inbox record. Records of one attempt may then apply out of order; the inbox moves statuses
  // forward only and dedupes the record by attempt, so the thread still ends at the last status.
  void tellSink(ctx, attempt, notification, next, at, details);
  return true;
}

/** Hands the stored move to `onAttemptMoved`; never rejects: a failing sink is logged and the notification goes on. */
async function tellSink(
  ctx: NotificationContext,
  attempt: StoredAttempt,
  notification: StoredNotification | null,
  next: AttemptStatus,
  at: Date,
  details: MoveDetails,
): Promise<void> {
  if (!ctx.onAttemptMoved) return;
  try {
    await ctx.onAttemptMoved({
      attemptId: String(attempt._id),
      notificationId: String(attempt.notificationId),
      workspaceId: String(attempt.workspaceId),
      step: attempt.step,
      channelId: String(attempt.channelId),
      channelType: attempt.channelType,
      status: next,
      at,
      recipient: (attempt.recipient as Recipient | null) ?? null,
      text: details.text ?? attempt.text ?? null,
      externalMessageId: details.externalMessageId ?? attempt.externalMessageId ?? null,
      reason: details.reason ?? attempt.reason ?? null,
      notification: notification && {
        templateName: notification.template?.name ?? null,
        phone: notification.to?.phone ?? null,
        contactId: notification.to?.contactId ? String(notification.to.contactId) : null,
      },
    });
  } catch (error) {
    ctx.logger.warn({ err: error, attemptId: String(attempt._id), status: next }, 'attempt sink failed');
  }
}

async function countDelivery(ctx: NotificationContext, attempt: StoredAttempt, at: Date): Promise<void> {
  await ctx.recordDelivered({
    workspaceId: String(attempt.workspaceId),
    channelId: String(attempt.channelId),
    channelType: attempt.channelType,
    notificationId: String(attempt.notificationId),
    attemptId: String(attempt._id),
    deliveredAt: at,
  });
}

/**
 * Recomputes the overall status from the attempts and stores it when it moved, publishing
 * `notification.status_changed` (one event per status reached, so a repeat publishes nothing new).
 * Returns the notification as read before the refresh (null when it is gone).
 */
export async function refreshNotification(
  ctx: NotificationContext,
  notificationId: string,
): Promise<StoredNotification | null> {
  const notification = (await ctx.models.Notification.findById(notificationId)
    .lean()
    .exec()) as StoredNotification | null;
  if (!notification) return null;
  const attempts = (await ctx.models.NotificationAttempt.find({ notificationId })
    .sort({ step: 1 })
    .lean()
    .exec()) as StoredAttempt[];
  const last = attempts.at(-1);
  const exhausted = !!last && isFailed(last.status) && last.step >= notification.route.length - 1;
  const progress = attempts.map((attempt) => ({
    status: attempt.status,
    wasSent: attempt.history.some((entry) => entry.status === 'sent'),
  }));
  const status = overallStatus(progress, exhausted);
  const billable = attempts.some((attempt) => attempt.history.some((entry) => isReached(entry.status)));
  const channels = [...new Set(attempts.flatMap((a) => [String(a.channelId), a.channelType]))];
  if (status === notification.status && billable === notification.billable) {
    if (channels.length !== notification.channels.length) {
      await ctx.models.Notification.updateOne({ _id: notification._id }, { $set: { channels } }).exec();
    }
    return notification;
  }
  const now = new Date();
  await ctx.models.Notification.updateOne(
    { _id: notification._id },
    {
      $set: {
        status,
        billable,
        channels,
        step: last?.step ?? 0,
        finalReason: exhausted ? (last?.reason ?? null) : null,
        [`statusTimes.${status}`]: now,
      },
    },
  ).exec();
  if (status !== notification.status)
    await publishStatus(ctx, notification, { status, billable, at: now }, last);
  return notification;
}

async function publishStatus(
  ctx: NotificationContext,
  notification: StoredNotification,
  { status, billable, at }: { status: string; billable: boolean; at: Date },
  last: StoredAttempt | undefined,
): Promise<void> {
  await ctx.events?.publish(
    trustedWorkspaceId(String(notification.workspaceId)),
    'notification.status_changed',
    {
      notificationId: String(notification._id),
      status,
      previousStatus: notification.status,
      at: at.toISOString(),
      step: last?.step ?? null,
      channel: last ? { id: String(last.channelId), type: last.channelType } : null,
      reason: last?.reason ?? null,
      billable,
      metadata: notification.metadata ?? {},
    },
    {
      eventId: `ntf_${String(notification._id)}.${status}`,
      ...(notification.callbackUrl ? { callbackUrl: notification.callbackUrl } : {}),
    },
  );
}
