import type { DeliveryStatus, Recipient } from '../../adapters/contract';
import { moveAttempt } from './attempt-outcomes';
import { liveChannel, type NotificationContext, type StoredAttempt } from './notification-context';

export type StatusApplied = 'applied' | 'ignored' | 'unmatched';

/**
 * A platform's status report (webhook, SMPP receipt) for a message we sent. Applied only when it
 * moves the attempt forward: a duplicate, late or out-of-order report changes nothing. `unmatched`
 * when no attempt has that platform message id (yet: a receipt may overtake the send's answer, so
 * the caller retries before giving up).
 */
export async function applyPlatformStatus(
  ctx: NotificationContext,
  report: { channelId: string; externalMessageId: string; status: DeliveryStatus; reason?: string; at: Date },
): Promise<StatusApplied> {
  const found = (await ctx.models.NotificationAttempt.findOne({
    channelId: report.channelId,
    externalMessageId: report.externalMessageId,
  })
    .select({ _id: 1, notificationId: 1 })
    .lean()
    .exec()) as Pick<StoredAttempt, '_id' | 'notificationId'> | null;
  if (!found) return 'unmatched';
  return ctx.lock(String(found.notificationId), async () => {
    const attempt = await reload(ctx, String(found._id));
    if (!attempt) return 'unmatched';
    const moved = await moveAttempt(ctx, attempt, report.status, {
      reason:
        report.reason ?? (report.status === 'undelivered' || report.status === 'expired' ? 'platform' : null),
      at: validDate(report.at),
    });
    return moved ? 'applied' : 'ignored';
  });
}

/**
 * The TTL of an attempt passed. If the customer did not get the message by now, the attempt
 * expires, the chat message is withdrawn where the platform allows it (so the customer does not
 * get the news twice after the fallback), and the next route step starts.
 */
export async function expireAttempt(
  ctx: NotificationContext,
  notificationId: string,
  attemptId: string,
): Promise<StatusApplied> {
  return ctx.lock(notificationId, async () => {
    const attempt = await reload(ctx, attemptId);
    if (!attempt) return 'unmatched';
    if (!['queued', 'sending', 'sent'].includes(attempt.status)) return 'ignored';
    if (attempt.expiresAt.getTime() > Date.now()) return 'ignored';
    const withdrawn = attempt.status === 'sent' ? await withdraw(ctx, attempt) : undefined;
    const moved = await moveAttempt(ctx, attempt, 'expired', {
      reason: 'ttl',
      detail: `no delivery within ${attempt.ttlSeconds} s`,
      ...(withdrawn === undefined ? {} : { withdrawn }),
    });
    return moved ? 'applied' : 'ignored';
  });
}

async function withdraw(ctx: NotificationContext, attempt: StoredAttempt): Promise<boolean | undefined> {
  const recipient = attempt.recipient as Recipient | null;
  if (!attempt.externalMessageId || !recipient) return undefined;
  const channel = await liveChannel(ctx, String(attempt.channelId));
  if (!channel?.adapter.capabilities.withdraw || !channel.adapter.withdraw) return undefined;
  try {
    const result = await channel.adapter.withdraw({
      externalMessageId: attempt.externalMessageId,
      recipient,
    });
    if (!result.ok) {
      ctx.logger.warn({ attemptId: String(attempt._id), failure: result.failure }, 'withdraw failed');
    }
    return result.ok;
  } catch (error) {
    ctx.logger.warn({ err: error, attemptId: String(attempt._id) }, 'withdraw failed');
    return false;
  }
}

async function reload(ctx: NotificationContext, attemptId: string) {
  return (await ctx.models.NotificationAttempt.findById(attemptId).lean().exec()) as StoredAttempt | null;
}

function validDate(at: Date): Date {
  return at instanceof Date && !Number.isNaN(at.getTime()) ? at : new Date();
}
