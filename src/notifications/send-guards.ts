import type { Redis } from 'ioredis';
import type { ChannelKind, Recipient } from '../../adapters/contract';
import type { ChannelRecord } from '../channels/channel-runtime';
import { effectiveLimits, type LimitOverrides, sendLimitsFor } from '../limits/channel-limits';
import { createRecipientCap, recipientCapSkipReason } from '../limits/recipient-cap';
import { createSmsSpend, smsSegments, spendCapSkipReason } from '../limits/sms-spend';
import { createRateGate } from '../rate-limits/rate-gate';
import { type BucketLimit, createTokenBucket } from '../rate-limits/token-bucket';
import type { Models } from '../storage/models';
import { trustedWorkspaceId } from '../storage/tenant-repository';
import { getWorkspaceSettings } from '../workspaces/workspace-settings';
import type { SendGuards } from './notification-context';
import { ShortLivedCache } from './short-lived-cache';

/** A stable key for one recipient on a channel (hashed before it reaches Redis). */
export function recipientKeyOf(recipient: Recipient): string {
  if (recipient.kind === 'user') return `user:${recipient.externalUserId}`;
  if (recipient.kind === 'phone') return `phone:${recipient.phone}`;
  return `email:${recipient.address.toLowerCase()}`;
}

type LimitedChannel = ChannelRecord & { limits?: LimitOverrides | null };

const limitsOf = (channel: LimitedChannel) =>
  effectiveLimits({
    type: channel.type as ChannelKind,
    limits: channel.limits ?? null,
    settings: channel.settings,
  });

/**
 * The limits a notification step passes before its send, all shared by every worker through
 * Redis: the recipient's rolling-24-hour cap on the channel (unless the workspace is exempt), the
 * workspace's monthly SMS spend cap, and the channel's rate limits (bot-wide and per chat, token
 * buckets — waited for exactly, so the limit is used fully but never exceeded).
 */
export function createSendGuards(options: { models: Models; redis: Redis; prefix: string }): SendGuards {
  const { models, redis, prefix } = options;
  const gate = createRateGate({ bucket: createTokenBucket({ redis }) });
  const cap = createRecipientCap({ redis, prefix });
  const spend = createSmsSpend({ redis, prefix });
  // Read at most every 2 s per workspace: a batch of sends reads them once.
  const cache = new ShortLivedCache(2000);
  const settings = (workspaceId: string) =>
    cache.get(workspaceId, () => getWorkspaceSettings(models, trustedWorkspaceId(workspaceId)));
  return {
    async admit({ workspaceId, channel, recipient, text }) {
      const workspace = await settings(workspaceId);
      const limits = limitsOf(channel as LimitedChannel);
      const reserved = await cap.reserve({
        workspaceId,
        channelId: String(channel._id),
        recipientKey: recipientKeyOf(recipient),
        dailyLimit: limits.recipientDailyLimit,
        exempt: workspace.recipientLimitExempt,
      });
      if (!reserved.allowed) {
        return {
          ok: false,
          reason: recipientCapSkipReason,
          detail: `the recipient got ${limits.recipientDailyLimit} notifications on this channel in 24 h; next allowed at ${reserved.resetAt.toISOString()}`,
        };
      }
      if (channel.type !== 'sms') return { ok: true, capToken: reserved.token, spend: null };
      const charged = await spend.reserve(workspaceId, smsSegments(text), workspace.smsSpend);
      if (!charged.allowed) {
        await cap.release(reserved.token);
        return {
          ok: false,
          reason: spendCapSkipReason,
          detail: `SMS spend this month ${charged.spent} would pass the cap ${charged.cap}`,
        };
      }
      return { ok: true, capToken: reserved.token, spend: charged.token ? { token: charged.token } : null };
    },
    async release({ tokens }) {
      await cap.release(tokens.capToken);
      const token = tokens.spend?.token;
      if (typeof token === 'string') await spend.refund(token);
    },
    async waitForRate({ channel, recipient, signal }) {
      const buckets = paced(
        sendLimitsFor(
          String(channel._id),
          limitsOf(channel as LimitedChannel),
          recipientKeyOf(recipient),
          prefix,
        ),
      );
      await gate.acquire(buckets, signal ? { signal } : {});
    },
  };
}

/**
 * Platforms count arrivals in a sliding second; sends granted exactly 1/rate apart can still land
 * rate + 1 in one second once network jitter moves them (measured: 28 rate-limit answers in 60 s at
 * a 3/s limit). Pacing at 97 % of the limit keeps that margin and still uses ≥ 95 % of it.
 */
const pacingHeadroom = 0.97;

function paced(buckets: BucketLimit[]): BucketLimit[] {
  return buckets.map((bucket) => ({ ...bucket, ratePerSecond: bucket.ratePerSecond * pacingHeadroom }));
}
