import type { Principal } from '../auth/principal';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { rateLimitKey } from '../rate-limits/rate-limit-keys';
import type { TokenBucket } from '../rate-limits/token-bucket';
import { noAnswerWithin, withTimeout } from '../timeouts';
import type { Authenticator } from './authenticate';

/**
 * The request rate of each credential (API key or operator session), shared by every API node
 * through Redis (a token bucket of `burst` refilled at `perSecond`).
 *
 * Promised: a credential over its rate gets 429 `rate_limit.exceeded` with `Retry-After` in whole
 * seconds (at least 1). Fails OPEN: when Redis errs or does not answer within `timeoutMs`, the
 * request goes through and a warning is logged (at most one per `warnEveryMs`) — an outage of the
 * limiter must not take the whole API down with it.
 * Not promised: a limit per workspace (each of its keys has its own bucket), or fairness between
 * concurrent requests of one credential.
 */
export interface RequestRateLimit {
  /** Charges one request to the principal's credential; throws the 429 AppError when over. */
  charge(principal: Principal): Promise<void>;
}

export interface RequestRateLimitOptions {
  bucket: TokenBucket;
  /** The deployment's key prefix (`QUEUE_PREFIX`). */
  prefix: string;
  perSecond: number;
  burst: number;
  logger: Logger;
  /** How long to wait for Redis before letting the request through; 250 ms by default. */
  timeoutMs?: number;
  /** Least time between two "limiter unavailable" warnings; 10 s by default. */
  warnEveryMs?: number;
}

export function createRequestRateLimit(options: RequestRateLimitOptions): RequestRateLimit {
  const { bucket, prefix, perSecond, burst, logger, timeoutMs = 250, warnEveryMs = 10_000 } = options;
  let lastWarning = Number.NEGATIVE_INFINITY;
  const warn = (error: unknown) => {
    if (Date.now() - lastWarning < warnEveryMs) return;
    lastWarning = Date.now();
    logger.warn({ err: error }, 'request rate limit unavailable; letting requests through');
  };
  return {
    async charge(principal) {
      const limit = {
        key: rateLimitKey(prefix, `api:${principal.credentialId}`),
        ratePerSecond: perSecond,
        burst,
      };
      let result: Awaited<ReturnType<TokenBucket['take']>>;
      try {
        result = await withTimeout(bucket.take([limit]), timeoutMs, noAnswerWithin(timeoutMs));
      } catch (error) {
        warn(error);
        return;
      }
      if (result.granted) return;
      const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      throw new AppError(
        'rate_limit.exceeded',
        `This credential may make ${perSecond} requests per second (bursts of ${burst}); retry in ${seconds} s.`,
        { headers: { 'Retry-After': String(seconds) } },
      );
    },
  };
}

/** An authenticator that charges every authenticated request to its credential's rate limit. */
export function rateLimitedAuthenticator(auth: Authenticator, limit: RequestRateLimit): Authenticator {
  return {
    async authenticate(req) {
      const principal = await auth.authenticate(req);
      await limit.charge(principal);
      return principal;
    },
  };
}
