import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { luaScript, runLuaScript } from '../rate-limits/lua-script';
import type { SmsSpendSettings } from '../workspaces/workspace-settings';

/** Segments an SMS text is billed as (GSM-7 / UCS-2 parts, exactly as the SMS adapter splits it). */
export { segmentCount as smsSegments } from '../../adapters/sms';

/** The reason a notification step is skipped when the workspace's SMS budget is spent. */
export const spendCapSkipReason = 'spend-cap-reached';

/** Reservations can be refunded for this long (a step's TTL is at most 24 h, plus retries). */
const refundableSeconds = 3 * 24 * 60 * 60;
/** A month's counter outlives the month by a margin, then goes. */
const counterSeconds = 40 * 24 * 60 * 60;

/**
 * KEYS[1]: the month's counter (hundredths), KEYS[2]: the reservation's refund key.
 * ARGV: cost, cap (-1 = none), refund ttl, counter ttl.
 * Reply `{1, spent}` when charged, `{0, spent}` when the cap would be passed.
 */
const reserveScript = luaScript(`
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
if cap >= 0 and spent + cost > cap then return {0, spent} end
spent = redis.call('INCRBY', KEYS[1], cost)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], cost, 'EX', ARGV[3])
return {1, spent}
`);

/** KEYS[1]: the counter, KEYS[2]: the refund key. Gives the cost back once; never below zero. */
const refundScript = luaScript(`
local cost = tonumber(redis.call('GET', KEYS[2]) or '0')
if cost <= 0 then return 0 end
redis.call('DEL', KEYS[2])
local left = redis.call('DECRBY', KEYS[1], cost)
if left < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
return cost
`);

export type SmsSpendResult =
  /** `token` is null when nothing was charged (price 0 or no segments). `spent`: month total after. */
  | { allowed: true; token: string | null; spent: number }
  /** The charge would pass `monthlyCap`; nothing was charged. */
  | { allowed: false; spent: number; cap: number };

/**
 * SMS spend per workspace and calendar month (UTC), shared through Redis. Amounts are in the
 * workspace's currency, counted in hundredths, so `pricePerSegment` keeps 2 decimals.
 *
 * Promised: `reserve` checks and charges in one Lua script, so concurrent senders never pass the
 * cap together; spend is counted even without a cap (a cap set mid-month sees the month so far);
 * `refund` of one token gives its cost back at most once (safe to repeat on job retries) within 3
 * days. Errors from Redis are thrown (the caller retries; no silent overspend).
 * Not promised: a durable ledger (Redis may be flushed: the month then counts from zero; usage
 * records in MongoDB are the billing truth), or that a reservation made just before midnight UTC
 * on a month's last day counts against the month the SMS is actually delivered in.
 */
export interface SmsSpend {
  reserve(workspaceId: string, segments: number, settings: SmsSpendSettings): Promise<SmsSpendResult>;
  /** Gives a reservation back (call it when the send failed permanently). */
  refund(token: string | null): Promise<void>;
  /** Spent this month so far (currency units). */
  spentThisMonth(workspaceId: string): Promise<number>;
}

export interface SmsSpendOptions {
  redis: Redis | Cluster;
  /** The deployment's key prefix (`QUEUE_PREFIX`). */
  prefix: string;
  /** The clock that picks the month (tests move it); `() => new Date()` by default. */
  now?: () => Date;
}

export function createSmsSpend(options: SmsSpendOptions): SmsSpend {
  const { redis, prefix, now = () => new Date() } = options;
  const counterKey = (workspaceId: string) =>
    `${prefix}:spend:{${workspaceId}}:sms:${now().toISOString().slice(0, 7)}`;
  return {
    async reserve(workspaceId, segments, settings) {
      const cost = toHundredths(settings.pricePerSegment) * Math.max(0, Math.ceil(segments));
      const cap = settings.monthlyCap === null ? -1 : toHundredths(settings.monthlyCap);
      const key = counterKey(workspaceId);
      if (cost === 0) return { allowed: true, token: null, spent: await readSpent(redis, key) };
      const refundKey = `${key}:r:${randomBytes(12).toString('base64url')}`;
      const args = [cost, cap, refundableSeconds, counterSeconds];
      const [charged, spent] = (await runLuaScript(redis, reserveScript, [key, refundKey], args)) as number[];
      if (charged === 1) return { allowed: true, token: refundKey, spent: fromHundredths(spent ?? 0) };
      return { allowed: false, spent: fromHundredths(spent ?? 0), cap: fromHundredths(cap) };
    },
    async refund(token) {
      const marker = token?.lastIndexOf(':r:') ?? -1;
      if (!token || marker <= 0 || !token.startsWith(`${prefix}:spend:`)) return;
      await runLuaScript(redis, refundScript, [token.slice(0, marker), token], []);
    },
    spentThisMonth: (workspaceId) => readSpent(redis, counterKey(workspaceId)),
  };
}

async function readSpent(redis: Redis | Cluster, key: string): Promise<number> {
  return fromHundredths(Number((await redis.get(key)) ?? 0));
}

const toHundredths = (amount: number): number => Math.round(amount * 100);
const fromHundredths = (hundredths: number): number => hundredths / 100;
