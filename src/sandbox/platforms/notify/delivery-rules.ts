import type { VirtualUser } from '../../virtual-users';
import type { NotificationRecord, NotifyAccount } from './notify-accounts';
import type { DeliveryPolicy, NotifyRoute } from './wire-schemas';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** VK/OK reach by phone only users active in the last 7 days (Rapporto "Features of VK Messages"). */
export const activeWithinMs = 7 * dayMs;
/** `app_active` policy: the sandbox's reading of "uses the mobile app" — seen within 24 h. */
export const appActiveWithinMs = dayMs;
/** At most 5 notifications per user per business per rolling 24 h (Devino VK/OK limits). */
export const perUserLimit = { count: 5, windowMs: dayMs } as const;

export interface DeliveryFacts {
  user: VirtualUser | undefined;
  route: NotifyRoute;
  policy: DeliveryPolicy;
  nowMs: number;
  ttlMs: number;
  /** Notifications this account already sent this user on this route in the window. */
  recentToUser: number;
}

export type DeliveryDecision =
  | { kind: 'deliver' }
  /** The user's device is offline: delivered if they come online before the TTL, else `expired`. */
  | { kind: 'wait' }
  | { kind: 'undelivered'; reason: string };

const idleMs = (facts: DeliveryFacts): number =>
  facts.user ? facts.nowMs - facts.user.lastSeenAt.getTime() : Number.POSITIVE_INFINITY;

/** Why a notification cannot be delivered, checked in order; the first that applies is reported. */
const undeliverableWhen: ReadonlyArray<{ reason: string; applies(facts: DeliveryFacts): boolean }> = [
  { reason: 'no_account', applies: (facts) => !facts.user?.accounts[facts.route] },
  { reason: 'blocked', applies: (facts) => facts.user?.accounts[facts.route]?.blocked === true },
  { reason: 'inactive', applies: (facts) => idleMs(facts) > activeWithinMs },
  {
    reason: 'app_inactive',
    applies: (facts) => facts.policy === 'app_active' && idleMs(facts) > appActiveWithinMs,
  },
  { reason: 'limit_exceeded', applies: (facts) => facts.recentToUser >= perUserLimit.count },
];

/**
 * What happens to an accepted notification. `verified_phone` is always met: virtual users'
 * numbers count as verified (the sandbox has no "number changed owner" state).
 */
export function decideDelivery(facts: DeliveryFacts): DeliveryDecision {
  const refusal = undeliverableWhen.find((check) => check.applies(facts));
  if (refusal) return { kind: 'undelivered', reason: refusal.reason };
  return idleMs(facts) > facts.ttlMs ? { kind: 'wait' } : { kind: 'deliver' };
}

/** Notifications before `current` that count against the per-user limit: not refused, not expired, in the window. */
export function recentToUser(account: NotifyAccount, current: NotificationRecord): number {
  const { route, phone, acceptedAtMs: nowMs } = current;
  let count = 0;
  for (const record of account.notifications.values()) {
    const counts = record !== current && record.state !== 'undelivered' && record.state !== 'expired';
    const inWindow = nowMs - record.acceptedAtMs < perUserLimit.windowMs;
    if (counts && inWindow && record.route === route && record.phone === phone) count += 1;
  }
  return count;
}
