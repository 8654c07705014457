const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delay before attempt n+1 after attempt n failed (index 0 = after the first attempt). The first
 * attempt is immediate. This is the Standard Webhooks / Svix schedule (5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h) extended with 10 h steps until the last attempt lands at about 3 days
 * (2 d 19 h 35 min 5 s without jitter): 12 attempts in all.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

/** Longest wait a receiver's `Retry-After` can impose. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** What to do after an attempt. */
export type NextAttempt =
  | { kind: 'delivered' }
  | { kind: 'retry'; at: Date }
  | { kind: 'give-up' }
  /** The receiver answered `410 Gone`: disable the endpoint, stop every pending delivery to it. */
  | { kind: 'disable' };

/** The outcome of the attempt that just finished. */
export interface AttemptOutcome {
  /** 1-based number of the attempt that just finished. */
  attempt: number;
  /** HTTP status, or `null` when there was no answer (timeout, network error, refused address). */
  status: number | null;
  /** The raw `Retry-After` response header, if any: delay-seconds or an HTTP date. */
  retryAfterHeader?: string | null;
  now: Date;
}

export interface RetryScheduleOptions {
  delaysMs?: readonly number[];
  /** Relative jitter applied to each delay: 0.2 means ±20 %. */
  jitter?: number;
  /** Uniform random in [0, 1); inject a seeded one in tests. */
  random?: () => number;
  maxRetryAfterMs?: number;
}

export interface RetrySchedule {
  /** The decision after one attempt; pure apart from `random`. */
  nextAttempt(outcome: AttemptOutcome): NextAttempt;
  /** How many attempts the schedule allows in all, the first included. */
  readonly maxAttempts: number;
}

/**
 * A retry policy for outbound webhooks.
 * - 2xx → delivered; 410 → disable the endpoint;
 * - 3xx → a failed attempt (redirects are never followed, so the receiver must fix its URL);
 * - every other status, and no answer at all → retry on the schedule, ±jitter, but never earlier
 *   than a `Retry-After` (capped at `maxRetryAfterMs`);
 * - after the last attempt → give up.
 *
 * Not promised: disabling an endpoint after repeated give-ups; that is the caller's policy.
 */
export function createRetrySchedule(options: RetryScheduleOptions = {}): RetrySchedule {
  const delaysMs = options.delaysMs ?? RETRY_DELAYS_MS;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
  return {
    maxAttempts: delaysMs.length + 1,
    nextAttempt({ attempt, status, retryAfterHeader, now }) {
      if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
      if (status === 410) return { kind: 'disable' };
      const baseMs = delaysMs[attempt - 1];
      if (baseMs === undefined) return { kind: 'give-up' };
      const scheduledMs = withJitter(baseMs, jitter, random());
      const retryAfterMs = parseRetryAfter(retryAfterHeader, now, maxRetryAfterMs) ?? 0;
      return { kind: 'retry', at: new Date(now.getTime() + Math.max(scheduledMs, retryAfterMs)) };
    },
  };
}

/** The default schedule, with `Math.random` jitter. */
export const defaultRetrySchedule: RetrySchedule = createRetrySchedule();

/** {@link RetrySchedule.nextAttempt} of the default schedule. */
export function nextAttempt(outcome: AttemptOutcome): NextAttempt {
  return defaultRetrySchedule.nextAttempt(outcome);
}

function withJitter(delayMs: number, jitter: number, unit: number): number {
  return Math.round(delayMs * (1 + (unit * 2 - 1) * jitter));
}

const DELAY_SECONDS = /^\d+$/;
/** All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) open with the day name. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

function httpDateMs(value: string): number {
  return HTTP_DATE.test(value) ? Date.parse(value) : Number.NaN;
}

/**
 * Milliseconds to wait according to a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or
 * an HTTP date, clamped to [0, cap]. `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: Date,
  capMs: number,
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const ms = DELAY_SECONDS.test(value) ? Number(value) * SECOND : httpDateMs(value) - now.getTime();
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), capMs);
}
