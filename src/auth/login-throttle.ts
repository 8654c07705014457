import type { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';

export interface LoginThrottle {
  /** Throws 429 while this e-mail from this address is locked out after too many failures. */
  assertAllowed(email: string, ip: string): Promise<void>;
  /** Counts a failed attempt (per e-mail + address, and per address). */
  failed(email: string, ip: string): Promise<void>;
  /** Clears the e-mail + address counter after a successful login. */
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
  const account = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:login:account`,
    points: options.perAccount,
    duration: options.windowSeconds,
  });
  const address = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:login:address`,
    points: options.perAddress,
    duration: options.windowSeconds,
  });
  const accountKey = (email: string, ip: string) => `${email.trim().toLowerCase()}|${ip}`;

  return {
    async assertAllowed(email, ip) {
      const [perAccount, perAddress] = await guard(() =>
        Promise.all([account.get(accountKey(email, ip)), address.get(ip)]),
      );
      const blocked = [
        [perAccount, options.perAccount],
        [perAddress, options.perAddress],
      ] as const;
      for (const [state, limit] of blocked) {
        if (state && state.consumedPoints >= limit) throw tooMany(state);
      }
    },
    async failed(email, ip) {
      await guard(() =>
        Promise.all([account.penalty(accountKey(email, ip), 1), address.penalty(ip, 1)]).then(
          () => undefined,
        ),
      );
    },
    async succeeded(email, ip) {
      await guard(() => account.delete(accountKey(email, ip)).then(() => undefined));
    },
  };
}

function tooMany(state: RateLimiterRes): AppError {
  const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  return new AppError('auth.too_many_attempts', `Too many failed logins. Try again in ${seconds} s.`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

/** Redis trouble must not turn into a 500 or an open door: the login answers 503 instead. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('service.not_ready', 'Login is unavailable for a moment (Redis). Try again shortly.', {
      cause: error,
      headers: { 'Retry-After': '5' },
    });
  }
}
