import { setTimeout } from 'node:timers/promises';
import type { BucketLimit, TokenBucket } from './token-bucket';

/** Waits for tokens so a worker never sends over a platform limit. */
export interface RateGate {
  /**
   * Resolves once `cost` tokens were taken from every bucket in `limits` (all at once). While
   * refused it sleeps the bucket's `retryAfterMs` plus a small jitter, then asks again.
   * Rejects with `signal.reason` when `signal` aborts. Not promised: FIFO order among waiters, or
   * any upper bound on the wait when more work arrives than the limit allows — pass a `signal`
   * with a deadline (`AbortSignal.timeout`) and requeue the job if a worker must not hold on.
   */
  acquire(limits: readonly BucketLimit[], options?: { signal?: AbortSignal; cost?: number }): Promise<void>;
}

export interface RateGateOptions {
  bucket: TokenBucket;
  /**
   * Upper bound of the random delay added to each wait, so waiters refused together do not all
   * ask again in the same millisecond. Also capped at a tenth of the wait. Default 3 ms.
   */
  maxJitterMs?: number;
  /** Source of randomness in [0, 1); `Math.random` by default. */
  random?: () => number;
}

/**
 * Longest single sleep: Node fires a longer timer after 1 ms, which would turn a wait of weeks (a
 * rate far below one per day) into a busy loop against Redis. A longer wait asks again after this.
 */
const maxSleepMs = 2 ** 31 - 1;

/** A gate over `bucket`; it holds no state of its own, so one gate may serve many workers. */
export function createRateGate(options: RateGateOptions): RateGate {
  const { bucket, maxJitterMs = 3, random = Math.random } = options;
  return {
    async acquire(limits, { signal, cost } = {}) {
      for (;;) {
        signal?.throwIfAborted();
        const result = await bucket.take(limits, cost);
        if (result.granted) return;
        const jitter = random() * Math.min(maxJitterMs, result.retryAfterMs / 10);
        await sleep(Math.min(result.retryAfterMs + jitter, maxSleepMs), signal);
      }
    },
  };
}

/** Sleeps `ms`; on abort rejects with `signal.reason` itself, not Node's wrapping AbortError. */
async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await setTimeout(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
