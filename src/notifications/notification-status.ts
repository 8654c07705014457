/**
 * Statuses of a notification and of each attempt on a route step.
 *
 * Progress moves only forward along `accepted → queued → sent → delivered → read`; `undelivered`
 * and `expired` end an attempt (and the notification, when no step is left). `skipped` ends an
 * attempt that was never sent (the step could not carry the content, the recipient cap, …).
 */
export const notificationStatuses = [
  'accepted',
  'queued',
  'sent',
  'delivered',
  'read',
  'undelivered',
  'expired',
] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

export const attemptStatuses = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'undelivered',
  'expired',
  'skipped',
] as const;
export type AttemptStatus = (typeof attemptStatuses)[number];

/** How far along the happy path a status is; failures are handled separately. */
const progressRank: Record<AttemptStatus, number> = {
  queued: 1,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  undelivered: -1,
  expired: -1,
  skipped: -1,
};

/** An attempt in one of these states is settled: no status moves it back, only `read` moves it on. */
export const settledStatuses: readonly AttemptStatus[] = [
  'delivered',
  'read',
  'undelivered',
  'expired',
  'skipped',
];

/** An attempt that ended without reaching the customer: the route goes on to the next step. */
export const failedStatuses: readonly AttemptStatus[] = ['undelivered', 'expired', 'skipped'];

export const isFailed = (status: AttemptStatus): boolean => failedStatuses.includes(status);
export const isSettled = (status: AttemptStatus): boolean => settledStatuses.includes(status);
export const isReached = (status: AttemptStatus): boolean => status === 'delivered' || status === 'read';

/**
 * Whether an attempt may move from `current` to `next`: only forward, never out of a failure, and
 * a failure only while the attempt has not reached the customer. A duplicate (same status) is not
 * a move.
 */
export function canMove(current: AttemptStatus, next: AttemptStatus): boolean {
  if (current === next || isFailed(current)) return false;
  if (isFailed(next)) return !isReached(current);
  return progressRank[next] > progressRank[current];
}

/** What the overall status needs to know of one attempt. */
export interface AttemptProgress {
  status: AttemptStatus;
  /** Whether the platform ever accepted it (an expired or undelivered attempt may have been sent). */
  wasSent: boolean;
}

/**
 * The notification's overall status from its attempts (in step order) and whether the route is
 * exhausted. It only moves forward as attempts are added and progress: `sent` once any attempt
 * was sent, `queued` once any step started.
 */
export function overallStatus(attempts: readonly AttemptProgress[], exhausted: boolean): NotificationStatus {
  const statuses = attempts.map((attempt) => attempt.status);
  if (statuses.includes('read')) return 'read';
  if (statuses.includes('delivered')) return 'delivered';
  const last = statuses.at(-1);
  if (exhausted && last && isFailed(last)) return last === 'expired' ? 'expired' : 'undelivered';
  if (attempts.some((attempt) => attempt.wasSent)) return 'sent';
  return attempts.length > 0 ? 'queued' : 'accepted';
}
