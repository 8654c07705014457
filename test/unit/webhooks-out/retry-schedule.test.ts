import {
  createRetrySchedule,
  MAX_RETRY_AFTER_MS,
  nextAttempt,
  parseRetryAfter,
  RETRY_DELAYS_MS,
} from '../../../src/webhooks-out/retry-schedule';

/** mulberry32: a small seeded PRNG, so jittered schedules are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const now = new Date('2025-06-01T12:00:00.000Z');
/** random() = 0.5 means no jitter at all. */
const exact = createRetrySchedule({ random: () => 0.5 });

function retryDelay(decision: ReturnType<typeof nextAttempt>): number {
  if (decision.kind !== 'retry') throw new Error(`expected a retry, got ${decision.kind}`);
  return decision.at.getTime() - now.getTime();
}

describe('retry schedule', () => {
  it('follows the Standard Webhooks schedule, then 10 h steps, ending at about 3 days', () => {
    expect(RETRY_DELAYS_MS.slice(0, 7)).toEqual([
      5 * SECOND,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
    expect(RETRY_DELAYS_MS.slice(7).every((delay) => delay === 10 * HOUR)).toBe(true);
    expect(exact.maxAttempts).toBe(12);
    let elapsed = 0;
    for (let attempt = 1; attempt < exact.maxAttempts; attempt++) {
      elapsed += retryDelay(exact.nextAttempt({ attempt, status: 500, now }));
    }
    expect(elapsed).toBe(2 * 24 * HOUR + 19 * HOUR + 35 * MINUTE + 5 * SECOND);
    expect(elapsed / (24 * HOUR)).toBeGreaterThan(2.5);
    expect(elapsed / (24 * HOUR)).toBeLessThan(3.5);
  });

  it('gives up after the last attempt', () => {
    expect(exact.nextAttempt({ attempt: exact.maxAttempts, status: 500, now })).toEqual({ kind: 'give-up' });
    expect(exact.nextAttempt({ attempt: exact.maxAttempts + 3, status: null, now })).toEqual({
      kind: 'give-up',
    });
  });

  it.each([200, 201, 202, 204, 299])('treats %i as delivered', (status) => {
    expect(exact.nextAttempt({ attempt: 1, status, now })).toEqual({ kind: 'delivered' });
    expect(exact.nextAttempt({ attempt: exact.maxAttempts, status, now })).toEqual({ kind: 'delivered' });
  });

  it('disables the endpoint on 410 Gone, whatever the attempt', () => {
    expect(exact.nextAttempt({ attempt: 1, status: 410, now })).toEqual({ kind: 'disable' });
    expect(exact.nextAttempt({ attempt: exact.maxAttempts, status: 410, now })).toEqual({ kind: 'disable' });
  });

  it.each([301, 302, 307, 308])('counts redirect %i as a failed attempt (never followed)', (status) => {
    expect(retryDelay(exact.nextAttempt({ attempt: 1, status, now }))).toBe(5 * SECOND);
  });

  it.each([400, 401, 404, 408, 429, 500, 502, 503, 504, 199, null])('retries on %p', (status) => {
    expect(retryDelay(exact.nextAttempt({ attempt: 2, status, now }))).toBe(5 * MINUTE);
  });

  it('jitters each delay within ±20 %, reproducibly with a seeded random', () => {
    const first = createRetrySchedule({ random: seededRandom(42) });
    const second = createRetrySchedule({ random: seededRandom(42) });
    for (let attempt = 1; attempt < first.maxAttempts; attempt++) {
      const delay = retryDelay(first.nextAttempt({ attempt, status: 503, now }));
      const base = RETRY_DELAYS_MS[attempt - 1] ?? 0;
      expect(delay).toBeGreaterThanOrEqual(base * 0.8);
      expect(delay).toBeLessThanOrEqual(base * 1.2);
      expect(retryDelay(second.nextAttempt({ attempt, status: 503, now }))).toBe(delay);
    }
    expect(
      retryDelay(createRetrySchedule({ random: () => 0 }).nextAttempt({ attempt: 5, status: 500, now })),
    ).toBe(4 * HOUR);
    expect(
      retryDelay(
        createRetrySchedule({ random: () => 0.999999 }).nextAttempt({ attempt: 5, status: 500, now }),
      ),
    ).toBeCloseTo(6 * HOUR, -2);
  });

  it('waits at least as long as Retry-After in seconds', () => {
    const decision = exact.nextAttempt({ attempt: 1, status: 429, retryAfterHeader: '120', now });
    expect(retryDelay(decision)).toBe(120 * SECOND);
  });

  it('waits until a Retry-After HTTP date', () => {
    const at = new Date(now.getTime() + 3 * HOUR).toUTCString();
    expect(retryDelay(exact.nextAttempt({ attempt: 2, status: 503, retryAfterHeader: at, now }))).toBe(
      3 * HOUR,
    );
  });

  it('keeps the schedule when Retry-After asks for less, is past, or is unreadable', () => {
    expect(retryDelay(exact.nextAttempt({ attempt: 4, status: 503, retryAfterHeader: '10', now }))).toBe(
      2 * HOUR,
    );
    const past = new Date(now.getTime() - HOUR).toUTCString();
    expect(retryDelay(exact.nextAttempt({ attempt: 2, status: 503, retryAfterHeader: past, now }))).toBe(
      5 * MINUTE,
    );
    expect(retryDelay(exact.nextAttempt({ attempt: 2, status: 503, retryAfterHeader: 'soon', now }))).toBe(
      5 * MINUTE,
    );
  });

  it('caps Retry-After at 24 h', () => {
    const decision = exact.nextAttempt({
      attempt: 1,
      status: 429,
      retryAfterHeader: String(7 * 24 * 3600),
      now,
    });
    expect(retryDelay(decision)).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(24 * HOUR);
  });

  it('does not let Retry-After extend past the last attempt', () => {
    expect(exact.nextAttempt({ attempt: 12, status: 429, retryAfterHeader: '5', now })).toEqual({
      kind: 'give-up',
    });
  });

  it('the default nextAttempt uses the same schedule with jitter', () => {
    const delay = retryDelay(nextAttempt({ attempt: 3, status: 500, now }));
    expect(delay).toBeGreaterThanOrEqual(24 * MINUTE);
    expect(delay).toBeLessThanOrEqual(36 * MINUTE);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['  30 ', 30 * SECOND],
    ['Sun, 01 Jun 2025 12:01:00 GMT', MINUTE],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0],
    ['999999999', MAX_RETRY_AFTER_MS],
  ])('reads %p', (header, expected) => {
    expect(parseRetryAfter(header, now, MAX_RETRY_AFTER_MS)).toBe(expected);
  });

  it.each([undefined, null, '', '-5', '1.5', 'tomorrow'])('ignores %p', (header) => {
    expect(parseRetryAfter(header, now, MAX_RETRY_AFTER_MS)).toBeUndefined();
  });
});
