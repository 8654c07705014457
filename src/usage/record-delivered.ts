import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';

export interface DeliveredAttempt {
  workspaceId: string;
  channelId: string;
  channelType: string;
  notificationId: string;
  attemptId: string;
  deliveredAt: Date;
}

/** The UTC calendar day of `at`, `YYYY-MM-DD`. */
function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Counts one delivered attempt for usage. Idempotent: recording the same `attemptId` again (a
 * duplicate status callback, a retried job, a racing worker) changes nothing. The day is the UTC
 * day of `deliveredAt`. Not promised: that ids are checked against the notification (callers pass
 * what they stored); a database error other than the duplicate is thrown.
 */
export async function recordDelivered(models: Models, input: DeliveredAttempt): Promise<void> {
  try {
    await models.Usage.create({ ...input, day: usageDay(input.deliveredAt) });
  } catch (error) {
    if (isDuplicateKey(error)) return;
    throw error;
  }
}
