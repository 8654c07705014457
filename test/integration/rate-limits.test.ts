import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { createLogger } from '../../src/logging/logger';
import { connectRedis } from '../../src/queue/redis-connection';
import { createRateGate } from '../../src/rate-limits/rate-gate';
import { rateLimitKey } from '../../src/rate-limits/rate-limit-keys';
import { EXPIRY_MARGIN_MS } from '../../src/rate-limits/take-tokens-script';
import {
  type BucketLimit,
  createTokenBucket,
  RateLimitConfigError,
  type TokenBucket,
} from '../../src/rate-limits/token-bucket';
import { deleteKeys, uniqueName } from '../helpers/test-stack';

/**
 * Timing tolerances come from the bucket, not from luck: a token bucket of `burst` at `rate`
 * grants at most `rate * L + burst` in any span of length L (a theorem, so upper bounds are exact),
 * and a waiter may be late by up to `(burst - 1) / rate` without losing capacity (so lower bounds
 * hold on a noisy VM as long as wake-ups are less late than that).
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ level: 'silent' });
const prefix = uniqueName('rate-limits');
const connections: Redis[] = [];
const figures: string[] = [];

/** A grant as seen by the client: Redis decided it somewhere in [start, end] (client clock, ms). */
interface Grant {
  start: number;
  end: number;
  key: string;
}

async function connect(): Promise<Redis> {
  const redis = await connectRedis(redisUrl, logger);
  connections.push(redis);
  return redis;
}

/** A bucket on its own connection that records the round trip of every granted take. */
async function recordingBucket(grants: Grant[]): Promise<TokenBucket> {
  const bucket = createTokenBucket({ redis: await connect() });
  return {
    async take(limits, cost) {
      const start = performance.now();
      const result = await bucket.take(limits, cost);
      if (result.granted) grants.push({ start, end: performance.now(), key: limits.at(-1)?.key ?? '' });
      return result;
    },
  };
}

/** One "worker": acquires `limitsFor(n)` for its n-th message until `signal` aborts. */
async function work(bucket: TokenBucket, signal: AbortSignal, limitsFor: (n: number) => BucketLimit[]) {
  const gate = createRateGate({ bucket });
  for (let n = 0; !signal.aborted; n += 1) {
    await gate.acquire(limitsFor(n), { signal }).catch((error: unknown) => {
      if (!signal.aborted) throw error;
    });
  }
}

/** Grants Redis certainly made inside [from, to): their whole round trip lies in it. */
function within(grants: Grant[], from: number, to: number): Grant[] {
  return grants.filter((grant) => grant.start >= from && grant.end < to);
}

/** The most grants certainly made inside any `spanMs` window (a lower bound of the true maximum). */
function busiestWindow(grants: Grant[], spanMs: number): number {
  return Math.max(0, ...grants.map((grant) => within(grants, grant.start, grant.start + spanMs).length));
}

function limit(channelId: string, scope: string[], ratePerSecond: number, burst: number): BucketLimit {
  return { key: rateLimitKey(prefix, channelId, ...scope), ratePerSecond, burst };
}

afterAll(async () => {
  const [first] = connections;
  if (first) await deleteKeys(first, `${prefix}*`);
  await Promise.all(connections.map((redis) => redis.quit()));
  if (process.env.RATE_LIMITS_REPORT) process.stdout.write(`${figures.join('\n')}\n`);
});

describe('token bucket', () => {
  it('grants a burst at once, then refuses with the exact wait for one token', async () => {
    const redis = await connect();
    const bucket = createTokenBucket({ redis });
    // 2 tokens/s: a loaded CI machine cannot refill one (500 ms) while the burst is being taken.
    const bot = limit('burst', ['bot'], 2, 10);

    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 10 }, () => bucket.take([bot])));
    expect(results.every((result) => result.granted)).toBe(true);
    const refused = await bucket.take([bot]);

    expect(refused).toEqual({ granted: false, retryAfterMs: expect.any(Number) });
    const retryAfterMs = refused.granted ? 0 : refused.retryAfterMs;
    // 1000 / 2 = 500 ms, minus what refilled since the burst began.
    expect(retryAfterMs).toBeGreaterThanOrEqual(500 - (performance.now() - started));
    expect(retryAfterMs).toBeLessThanOrEqual(500);
    // The key lives until the bucket is full again (10 tokens at 2/s = 5000 ms) plus the margin.
    const ttl = await redis.pttl(bot.key);
    expect(ttl).toBeGreaterThanOrEqual(EXPIRY_MARGIN_MS + 5000 - (performance.now() - started) - 1);
    expect(ttl).toBeLessThanOrEqual(EXPIRY_MARGIN_MS + 5000);
    figures.push(
      `(a) burst 10 at 50/s granted at once; next refused, retryAfterMs=${retryAfterMs}, pttl=${ttl}`,
    );
  });

  it('handles slow fractional rates (WhatsApp: 1 message per 6 s to a user)', async () => {
    const bucket = createTokenBucket({ redis: await connect() });
    const user = limit('whatsapp', ['user', '79990001122'], 1 / 6, 1);

    expect(await bucket.take([user])).toEqual({ granted: true });
    const refused = await bucket.take([user]);

    expect(refused.granted).toBe(false);
    if (!refused.granted) expect(Math.abs(refused.retryAfterMs - 6000)).toBeLessThan(50);
  });

  it('takes from all buckets or from none', async () => {
    const bucket = createTokenBucket({ redis: await connect() });
    const bot = limit('atomic', ['bot'], 30, 2);
    const chat = (id: string) => limit('atomic', ['chat', id], 1, 1);

    expect(await bucket.take([bot, chat('1')])).toEqual({ granted: true });
    const refused = await bucket.take([bot, chat('1')]);
    // The slowest bucket decides: the chat's next token is ~1 s away, the bot still has one.
    expect(refused.granted).toBe(false);
    if (!refused.granted) expect(refused.retryAfterMs).toBeGreaterThan(950);
    // The refused take did not spend the bot's second token: another chat still gets it...
    expect(await bucket.take([bot, chat('2')])).toEqual({ granted: true });
    // ...and only then is the bot empty, for one bot interval (1000 / 30 ≈ 33.3 ms).
    const botEmpty = await bucket.take([bot, chat('3')]);
    expect(botEmpty.granted).toBe(false);
    if (!botEmpty.granted) expect(botEmpty.retryAfterMs).toBeLessThanOrEqual(34);
  });

  it('rejects limits that could never be honoured, with a code', async () => {
    const bucket = createTokenBucket({ redis: await connect() });
    const bot = limit('config', ['bot'], 30, 5);
    const otherChannel = limit('other', ['bot'], 30, 5);

    await expect(bucket.take([bot], 6)).rejects.toMatchObject({ code: 'rate_limit.cost_exceeds_burst' });
    await expect(bucket.take([bot, bot])).rejects.toMatchObject({ code: 'rate_limit.duplicate_key' });
    await expect(bucket.take([bot, otherChannel])).rejects.toThrow(RateLimitConfigError);
    await expect(bucket.take([bot, otherChannel])).rejects.toMatchObject({
      code: 'rate_limit.keys_span_slots',
    });
  });
});

describe('rate gate', () => {
  it('4 processes hammering a 50/s bucket for 3 s: never over the limit, no edge burst', async () => {
    const rate = 50;
    const burst = 10;
    const seconds = 3;
    const grants: Grant[] = [];
    const buckets = await Promise.all([1, 2, 3, 4].map(() => recordingBucket(grants)));
    const bot = limit('hammer', ['bot'], rate, burst);

    const started = performance.now();
    const signal = AbortSignal.timeout(seconds * 1000);
    await Promise.all(buckets.map((bucket) => work(bucket, signal, () => [bot])));

    const total = within(grants, started, started + seconds * 1000).length;
    expect(total).toBeGreaterThanOrEqual(rate * seconds - burst);
    expect(total).toBeLessThanOrEqual(rate * seconds + burst);
    // A fixed window would allow 2 × 50 across its edge; a token bucket at most rate + burst.
    const busiest = busiestWindow(grants, 1000);
    expect(busiest).toBeLessThanOrEqual(rate + burst);
    figures.push(
      `(b) 4 workers, 50/s burst 10, ${seconds} s: ${total} granted; busiest 1 s window ${busiest}`,
    );
  });

  it('a 1/s chat waits its turn while other chats of the same bot proceed', async () => {
    const seconds = 2;
    const botRate = 30;
    const botBurst = 5;
    const grants: Grant[] = [];
    const buckets = await Promise.all([1, 2, 3].map(() => recordingBucket(grants)));
    const bot = limit('chats', ['bot'], botRate, botBurst);
    const chat = (id: string) => limit('chats', ['chat', id], 1, 1);
    const hot = chat('hot');

    const started = performance.now();
    const signal = AbortSignal.timeout(seconds * 1000);
    const [hotWorker, ...others] = buckets as [TokenBucket, ...TokenBucket[]];
    await Promise.all([
      work(hotWorker, signal, () => [bot, hot]),
      ...others.map((bucket, w) => work(bucket, signal, (n) => [bot, chat(`${w}-${n}`)])),
    ]);

    const measured = within(grants, started, started + seconds * 1000);
    const hotGrants = measured.filter((grant) => grant.key === hot.key);
    expect(hotGrants.length).toBeGreaterThanOrEqual(seconds);
    expect(hotGrants.length).toBeLessThanOrEqual(seconds + 1);
    for (let i = 1; i < hotGrants.length; i += 1) {
      const gap = (hotGrants[i]?.end ?? 0) - (hotGrants[i - 1]?.start ?? 0);
      expect(gap).toBeGreaterThanOrEqual(995);
    }
    const otherGrants = measured.length - hotGrants.length;
    expect(measured.length).toBeGreaterThanOrEqual(botRate * seconds - botBurst);
    expect(measured.length).toBeLessThanOrEqual(botRate * seconds + botBurst);
    figures.push(
      `(c) bot 30/s burst 5 + chat 1/s, ${seconds} s: hot chat ${hotGrants.length}, other chats ${otherGrants}`,
    );
  });

  it('uses the limit fully: ≥ 95 % of the rate while work is always waiting', async () => {
    const rate = 50;
    const burst = 3;
    const seconds = 2;
    const grants: Grant[] = [];
    const bucket = await recordingBucket(grants);
    const bot = limit('full', ['bot'], rate, burst);
    await bucket.take([bot], burst); // start empty: measure the refill rate, not the burst

    const started = performance.now();
    const signal = AbortSignal.timeout(seconds * 1000);
    await work(bucket, signal, () => [bot]);

    const achieved = within(grants, started, started + seconds * 1000).length / seconds;
    expect(achieved).toBeGreaterThanOrEqual(0.95 * rate);
    expect(achieved).toBeLessThanOrEqual(rate + 1 / seconds);
    figures.push(`(d) 1 worker, 50/s burst 3, drained: ${achieved}/s achieved (${(achieved / rate) * 100}%)`);
  });

  it('stops waiting when the signal aborts', async () => {
    const bucket = createTokenBucket({ redis: await connect() });
    const gate = createRateGate({ bucket });
    const user = limit('abort', ['user', '1'], 1 / 6, 1);
    await gate.acquire([user]);

    const started = performance.now();
    await expect(gate.acquire([user], { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
