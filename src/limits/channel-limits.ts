import { z } from 'zod';
import type { ChannelKind } from '../../adapters/contract';
import { adapterRegistry } from '../../adapters/registry';
import { sha256Hex } from '../auth/secrets';
import { rateLimitKey } from '../rate-limits/rate-limit-keys';
import type { BucketLimit } from '../rate-limits/token-bucket';

/**
 * How fast and how often one channel may send. Every process reads the same values for a channel,
 * so the Redis buckets they share keep one limit per key.
 */
export interface ChannelLimits {
  /** Sends per second for the whole channel (bot, community, number), over every worker. */
  perSecond: number;
  /**
   * Bucket capacity of the channel-wide limit. 1 (the default) paces sends evenly, so no
   * 1-second window ever holds more than `perSecond`; a larger burst allows short peaks of
   * `burst + perSecond` in a second, which platforms that count per second may refuse.
   */
  burst: number;
  /** Sends per second to one chat / user (Telegram 1, WhatsApp 1 per 6 s); null = no such limit. */
  perChatPerSecond: number | null;
  /** Bucket capacity of the per-chat limit (1 by default). */
  perChatBurst: number;
  /** Notifications one recipient may get per rolling 24 h per workspace on this channel; null = no cap. */
  recipientDailyLimit: number | null;
}

/**
 * Overrides as stored on a channel: an absent (or, on a required field, null) field is the type's
 * default; null on `perChatPerSecond` / `recipientDailyLimit` turns that limit off.
 */
export type LimitOverrides = { [K in keyof ChannelLimits]?: number | null };

/** The channel-type rules we know of; missing fields come from the adapter's capabilities. */
const typeDefaults: Readonly<Record<ChannelKind, Partial<ChannelLimits>>> = {
  'vk-notify': { perSecond: 50, recipientDailyLimit: 5 },
  'ok-notify': { perSecond: 50, recipientDailyLimit: 5 },
  vk: { perSecond: 20 },
  telegram: { perSecond: 30, perChatPerSecond: 1 },
  whatsapp: { perSecond: 80, perChatPerSecond: 1 / 6 },
  viber: {},
  ok: {},
  sms: {},
  email: {},
};

/** Slowest rate a channel may be given: one send a day (slower ones overflow timers and Redis expiries). */
const ratePerSecond = (max: number) =>
  z
    .number()
    .min(1 / 86_400, 'must be at least one per day (1/86400)')
    .max(max);

/** Overrides as given on `POST /v1/channels` / `PATCH /v1/channels/:id`; null = none (where allowed). */
export const channelLimitsInputSchema = z
  .strictObject({
    perSecond: ratePerSecond(10_000).optional(),
    burst: z.number().int().min(1).max(10_000).optional(),
    perChatPerSecond: ratePerSecond(1000).nullable().optional(),
    perChatBurst: z.number().int().min(1).max(1000).optional(),
    recipientDailyLimit: z.number().int().min(1).max(100_000).nullable().optional(),
  })
  .meta({
    id: 'ChannelLimitsInput',
    description:
      'Overrides of the channel type defaults; an omitted field keeps the default. `null` on perChatPerSecond or recipientDailyLimit turns that limit off.',
  });

export type ChannelLimitsInput = z.output<typeof channelLimitsInputSchema>;

/** The effective limits as the API shows them. */
export const channelLimitsView = z
  .object({
    perSecond: z.number(),
    burst: z.number(),
    perChatPerSecond: z.number().nullable(),
    perChatBurst: z.number(),
    recipientDailyLimit: z.number().nullable(),
  })
  .meta({ id: 'ChannelLimits' });

/**
 * The limits a channel sends under: its stored overrides over the defaults of its type. `settings`
 * (the channel's stored plain config) lets SMS and e-mail use the throughput configured on the
 * account; without it the adapter's example config decides. Pure and cheap: call it per send.
 */
export function effectiveLimits(channel: {
  type: ChannelKind;
  limits?: LimitOverrides | null;
  settings?: unknown;
}): ChannelLimits {
  const base: ChannelLimits = {
    perSecond: capabilityRate(channel.type, channel.settings),
    burst: 1,
    perChatPerSecond: null,
    perChatBurst: 1,
    recipientDailyLimit: null,
    ...typeDefaults[channel.type],
  };
  const o = channel.limits ?? {};
  return {
    perSecond: o.perSecond ?? base.perSecond,
    burst: o.burst ?? base.burst,
    perChatPerSecond: o.perChatPerSecond === undefined ? base.perChatPerSecond : o.perChatPerSecond,
    perChatBurst: o.perChatBurst ?? base.perChatBurst,
    recipientDailyLimit:
      o.recipientDailyLimit === undefined ? base.recipientDailyLimit : o.recipientDailyLimit,
  };
}

/**
 * The buckets one send must take from: the channel-wide one, plus the recipient's chat bucket when
 * the channel limits per chat. `recipientKey` (a chat id, phone, address) is hashed into the key,
 * so no personal data lands in Redis. Keys share the channel's hash tag (one atomic take).
 * `prefix` is the deployment's key prefix (`QUEUE_PREFIX`).
 */
export function sendLimitsFor(
  channelId: string,
  limits: ChannelLimits,
  recipientKey: string,
  prefix: string,
): BucketLimit[] {
  const buckets: BucketLimit[] = [
    { key: rateLimitKey(prefix, channelId, 'bot'), ratePerSecond: limits.perSecond, burst: limits.burst },
  ];
  if (limits.perChatPerSecond !== null)
    buckets.push({
      key: rateLimitKey(prefix, channelId, 'chat', hashedRecipient(recipientKey)),
      ratePerSecond: limits.perChatPerSecond,
      burst: limits.perChatBurst,
    });
  return buckets;
}

/**
 * A stable pseudonym of a recipient for Redis keys (SHA-256, 128 bits). Not promised: that it
 * cannot be reversed by trying every phone number — it keeps numbers out of keys and dumps, no more.
 */
export function hashedRecipient(recipientKey: string): string {
  return sha256Hex(`vestnik:recipient:${recipientKey}`).slice(0, 32);
}

/** The adapter's rate for the stored plain settings (secrets are not needed: the example's stand in). */
function capabilityRate(type: ChannelKind, settings: unknown): number {
  const definition = adapterRegistry[type];
  const plain = settings && typeof settings === 'object' ? settings : {};
  const parsed = definition.configSchema.safeParse({ ...definition.exampleConfig, ...plain });
  const config = parsed.success ? parsed.data : definition.configSchema.parse(definition.exampleConfig);
  const perSecond = definition.capabilities(config).rateLimit.perSecond;
  return Number.isFinite(perSecond) && perSecond > 0 ? perSecond : 1;
}
