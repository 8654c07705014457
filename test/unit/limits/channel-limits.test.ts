import { channelKinds } from '../../../adapters/contract';
import {
  channelLimitsInputSchema,
  effectiveLimits,
  hashedRecipient,
  sendLimitsFor,
} from '../../../src/limits/channel-limits';
import { hashTagOf } from '../../../src/rate-limits/rate-limit-keys';

describe('effectiveLimits', () => {
  it('knows the platform defaults', () => {
    expect(effectiveLimits({ type: 'vk-notify' })).toEqual({
      perSecond: 50,
      burst: 1,
      perChatPerSecond: null,
      perChatBurst: 1,
      recipientDailyLimit: 5,
    });
    expect(effectiveLimits({ type: 'ok-notify' }).recipientDailyLimit).toBe(5);
    expect(effectiveLimits({ type: 'vk' }).perSecond).toBe(20);
    expect(effectiveLimits({ type: 'telegram' })).toMatchObject({ perSecond: 30, perChatPerSecond: 1 });
    expect(effectiveLimits({ type: 'whatsapp' })).toMatchObject({ perSecond: 80, perChatPerSecond: 1 / 6 });
    expect(effectiveLimits({ type: 'viber' })).toMatchObject({ perSecond: 20, recipientDailyLimit: null });
  });

  it('takes SMS and e-mail throughput from the stored account settings', () => {
    expect(effectiveLimits({ type: 'sms', settings: { throughputPerSecond: 7 } }).perSecond).toBe(7);
    expect(effectiveLimits({ type: 'sms' }).perSecond).toBe(10);
    expect(effectiveLimits({ type: 'sms', settings: { throughputPerSecond: 'lots' } }).perSecond).toBe(10);
    const email = { pool: { maxConnections: 5, maxMessages: 100, messagesPerSecond: 3 } };
    expect(effectiveLimits({ type: 'email', settings: email }).perSecond).toBe(3);
  });

  it('gives every channel kind a usable limit', () => {
    for (const type of channelKinds) {
      const limits = effectiveLimits({ type });
      expect(limits.perSecond).toBeGreaterThan(0);
      expect(limits.burst).toBeGreaterThanOrEqual(1);
    }
  });

  it('lays stored overrides over the defaults; null turns optional limits off', () => {
    expect(
      effectiveLimits({ type: 'vk-notify', limits: { perSecond: 10, burst: 5, recipientDailyLimit: null } }),
    ).toMatchObject({ perSecond: 10, burst: 5, recipientDailyLimit: null });
    expect(
      effectiveLimits({ type: 'telegram', limits: { perChatPerSecond: null } }).perChatPerSecond,
    ).toBeNull();
    expect(effectiveLimits({ type: 'vk', limits: { perSecond: null } }).perSecond).toBe(20);
  });

  it('validates overrides', () => {
    expect(channelLimitsInputSchema.safeParse({ perSecond: 0 }).success).toBe(false);
    expect(channelLimitsInputSchema.safeParse({ perSecond: 1e-12 }).success).toBe(false);
    expect(channelLimitsInputSchema.safeParse({ perChatPerSecond: 1 / 86_400 }).success).toBe(true);
    expect(channelLimitsInputSchema.safeParse({ burst: 1.5 }).success).toBe(false);
    expect(channelLimitsInputSchema.safeParse({ perSecond: null }).success).toBe(false);
    expect(channelLimitsInputSchema.safeParse({ recipientDailyLimit: null }).success).toBe(true);
    expect(channelLimitsInputSchema.safeParse({ colour: 1 }).success).toBe(false);
  });
});

describe('sendLimitsFor', () => {
  it('takes the channel bucket only when there is no per-chat limit', () => {
    const buckets = sendLimitsFor('c1', effectiveLimits({ type: 'vk-notify' }), '+79161234567', 'p');
    expect(buckets).toEqual([{ key: 'p:rl:{c1}:bot', ratePerSecond: 50, burst: 1 }]);
  });

  it('adds a per-chat bucket keyed by a hash of the recipient, in the same slot', () => {
    const phone = '+79161234567';
    const buckets = sendLimitsFor('c1', effectiveLimits({ type: 'whatsapp' }), phone, 'p');
    expect(buckets).toHaveLength(2);
    expect(buckets[1]).toEqual({
      key: `p:rl:{c1}:chat:${hashedRecipient(phone)}`,
      ratePerSecond: 1 / 6,
      burst: 1,
    });
    expect(JSON.stringify(buckets)).not.toContain('79161234567');
    expect(new Set(buckets.map((b) => hashTagOf(b.key)))).toEqual(new Set(['c1']));
    expect(hashedRecipient(phone)).not.toBe(hashedRecipient('+79161234568'));
  });
});
