import type { RetrySchedule } from './retry-schedule';
import type { DeliveryResult } from './safe-delivery';
import type { AttemptError, AttemptOutcome, DeliveryState } from './webhook-models';

/** How much of the receiver's answer is kept with an attempt. */
export const RESPONSE_SNIPPET_CHARS = 1024;
/** How much of the answer to read for that: a character is at most 4 bytes of UTF-8. */
export const RESPONSE_READ_BYTES = RESPONSE_SNIPPET_CHARS * 4;

/** What one finished attempt means for its delivery (and its endpoint). */
export interface AttemptDecision {
  outcome: AttemptOutcome;
  deliveryState: DeliveryState;
  statusCode: number | null;
  error: AttemptError | null;
  errorDetail: string;
  responseSnippet: string;
  /** When the next attempt is due; null when the delivery is settled. */
  nextRetryAt: Date | null;
  /** The receiver answered `410 Gone`: the endpoint must be disabled. */
  disableEndpoint: boolean;
}

/**
 * Turns the result of one POST into the delivery's next state, per the retry schedule:
 * 2xx → succeeded; 410 → failed and the endpoint disabled; an address the SSRF guard refused at
 * connect time → failed at once (retrying cannot help until the DNS or the URL is fixed); any
 * other answer or no answer → retrying at the scheduled time, or dead after the last attempt.
 */
export function decideAttempt(
  result: DeliveryResult,
  attempt: number,
  schedule: RetrySchedule,
  now: Date,
): AttemptDecision {
  if ('error' in result) {
    const failure = {
      statusCode: null,
      error: result.error,
      errorDetail: result.detail,
      responseSnippet: '',
    };
    if (result.error === 'refused-address') return { ...failure, ...settled('failed') };
    return { ...failure, ...afterFailure(schedule.nextAttempt({ attempt, status: null, now })) };
  }
  const answer = {
    statusCode: result.status,
    error: null,
    errorDetail: '',
    responseSnippet: result.bodySnippet.slice(0, RESPONSE_SNIPPET_CHARS),
  };
  const next = schedule.nextAttempt({
    attempt,
    status: result.status,
    retryAfterHeader: result.retryAfter,
    now,
  });
  if (next.kind === 'delivered') return { ...answer, ...settled('succeeded') };
  if (next.kind === 'disable') {
    return {
      ...answer,
      ...settled('failed'),
      error: 'endpoint-gone',
      errorDetail: 'the endpoint answered 410 Gone and was disabled',
      disableEndpoint: true,
    };
  }
  return { ...answer, ...afterFailure(next) };
}

type Settlement = Pick<AttemptDecision, 'outcome' | 'deliveryState' | 'nextRetryAt' | 'disableEndpoint'>;

function settled(state: 'succeeded' | 'failed' | 'dead'): Settlement {
  return { outcome: state, deliveryState: state, nextRetryAt: null, disableEndpoint: false };
}

function afterFailure(next: ReturnType<RetrySchedule['nextAttempt']>): Settlement {
  if (next.kind !== 'retry') return settled('dead');
  return { outcome: 'retrying', deliveryState: 'pending', nextRetryAt: next.at, disableEndpoint: false };
}
