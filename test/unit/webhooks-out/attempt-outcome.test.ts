import { decideAttempt, RESPONSE_SNIPPET_CHARS } from '../../../src/webhooks-out/attempt-outcome';
import { createRetrySchedule } from '../../../src/webhooks-out/retry-schedule';

const now = new Date('2025-06-01T12:00:00.000Z');
/** Two retries, 1 s and 2 s after, without jitter: three attempts in all. */
const schedule = createRetrySchedule({ delaysMs: [1000, 2000], jitter: 0 });
const answer = (status: number, extra: { retryAfter?: string; body?: string } = {}) => ({
  status,
  retryAfter: extra.retryAfter ?? null,
  bodySnippet: extra.body ?? '',
  durationMs: 12,
});

describe('decideAttempt', () => {
  it('settles a 2xx as succeeded, keeping the start of the answer', () => {
    const decision = decideAttempt(answer(204, { body: 'x'.repeat(5000) }), 1, schedule, now);
    expect(decision).toMatchObject({
      outcome: 'succeeded',
      deliveryState: 'succeeded',
      statusCode: 204,
      error: null,
      nextRetryAt: null,
      disableEndpoint: false,
    });
    expect(decision.responseSnippet).toHaveLength(RESPONSE_SNIPPET_CHARS);
  });

  it('retries a 500 on the schedule, and never earlier than Retry-After', () => {
    expect(decideAttempt(answer(500), 1, schedule, now).nextRetryAt).toEqual(new Date(now.getTime() + 1000));
    const patient = decideAttempt(answer(503, { retryAfter: '30' }), 1, schedule, now);
    expect(patient).toMatchObject({ outcome: 'retrying', deliveryState: 'pending', statusCode: 503 });
    expect(patient.nextRetryAt).toEqual(new Date(now.getTime() + 30_000));
  });

  it('counts a redirect as a failed attempt (it is not followed)', () => {
    expect(decideAttempt(answer(302), 2, schedule, now)).toMatchObject({
      outcome: 'retrying',
      statusCode: 302,
      nextRetryAt: new Date(now.getTime() + 2000),
    });
  });

  it('is dead after the last attempt of the schedule', () => {
    expect(decideAttempt(answer(500), 3, schedule, now)).toMatchObject({
      outcome: 'dead',
      deliveryState: 'dead',
      nextRetryAt: null,
    });
  });

  it('fails at once and disables the endpoint on 410 Gone', () => {
    expect(decideAttempt(answer(410), 1, schedule, now)).toMatchObject({
      outcome: 'failed',
      deliveryState: 'failed',
      statusCode: 410,
      error: 'endpoint-gone',
      disableEndpoint: true,
      nextRetryAt: null,
    });
  });

  it('retries a timeout or network error, but not an address the guard refused', () => {
    const timeout = decideAttempt({ error: 'timeout', detail: 'no answer' }, 1, schedule, now);
    expect(timeout).toMatchObject({
      outcome: 'retrying',
      statusCode: null,
      error: 'timeout',
      errorDetail: 'no answer',
    });
    const refused = decideAttempt(
      { error: 'refused-address', detail: 'hooks.example resolves to 127.0.0.1 is in the loopback range' },
      1,
      schedule,
      now,
    );
    expect(refused).toMatchObject({ outcome: 'failed', deliveryState: 'failed', nextRetryAt: null });
    expect(refused.errorDetail).toContain('loopback');
  });
});
