import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';

export interface LoginThrottle {
  /**
   * Counts an attempt for this e-mail from this address (and for the address) before the password
   * is checked, so concurrent guesses cannot slip past the limit; throws 429 once it is reached.
   */
  attempt(email: string, ip: string): Promise<void>;
  /** Clears the e-mail + address counter and gives the address its point back after a successful login. */
  succeeded(email: string, ip: string): Promise<void>;
}

export interface LoginThrottleOptions {
  /** Failed attempts allowed per e-mail and address in the window. */
  perAccount: number;
  /** Failed attempts allowed per address (any e-mail) in the window: slows credential stuffing. */
  perAddress: number;
  windowSeconds: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  perAccount: 10,
  perAddress: 100,
  windowSeconds: 900,
};

/** Brute-force protection for operator logins, counted in Redis so every API node shares it. */
export function createLoginThrottle(
  redis: Redis,
  keyPrefix: string,
  options = defaultLoginThrottle,
): LoginThrottle {
  const limiter = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}:login:${name}`,
      points,
      duration: options.windowSeconds,
      rejectIfRedisNotReady: true,
    });
  const account = limiter('account', options.perAccount);
  const address = limiter('address', options.perAddress);
  const accountKey = (email: string, ip: string) => `${email.trim().toLowerCase()}|${ip}`;

  return {
    async attempt(email, ip) {
      await guard(() => Promise.all([account.consume(accountKey(email, ip)), address.consume(ip)]));
    },
    async succeeded(email, ip) {
      // Successful logins do not count against the address (many operators may share one NAT).
      await guard(() => Promise.all([account.delete(accountKey(email, ip)), address.reward(ip, 1)]));
    },
  };
}

function tooMany(state: RateLimiterRes): AppError {
  const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  return new AppError('auth.too_many_attempts', `Too many failed logins. Try again in ${seconds} s.`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

/**
 * A rejection with a RateLimiterRes means the limit is reached (429). Redis trouble must not turn
 * into a 500, a hang or an open door: the login answers 503 instead.
 */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(error);
    throw new AppError('service.not_ready', 'Login is unavailable for a moment (Redis). Try again shortly.', {
      cause: error,
      headers: { 'Retry-After': '5' },
    });
  }
}
