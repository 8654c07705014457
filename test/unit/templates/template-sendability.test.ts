import { Types } from 'mongoose';
import type { PlatformApproval } from '../../../src/templates/template-model';
import { platformTemplateName, templateSendableOn } from '../../../src/templates/template-sendability';
import type { StoredTemplate } from '../../../src/templates/template-service';

const now = new Date('2025-03-14T09:00:00Z');

function version(
  status: StoredTemplate['status'],
  platformApprovals: PlatformApproval[] = [],
): StoredTemplate {
  return {
    _id: new Types.ObjectId(),
    workspaceId: new Types.ObjectId(),
    name: 'order_shipped',
    version: 1,
    status,
    body: 'Заказ ###order# передан в доставку',
    advertisingTail: null,
    category: 'delivery',
    channels: ['sms', 'vk-notify', 'whatsapp'],
    buttons: [],
    imageIds: [],
    placeholders: ['order'],
    rejectionReason: null,
    moderatedBy: null,
    moderatedAt: null,
    platformApprovals,
    seq: 0,
    createdAt: now,
    updatedAt: now,
  };
}

const entry = (channelId: string, status: PlatformApproval['status']): PlatformApproval => ({
  channelId,
  channelType: 'vk-notify',
  platformName: 'order_shipped',
  status,
  reason: status === 'rejected' ? 'link_shortener' : null,
  submittedAt: now,
  decidedAt: status === 'pending' ? null : now,
  lastError: null,
});

const sms = { id: 'c-sms', type: 'sms', platformTemplates: false } as const;
const notify = { id: 'c-notify', type: 'vk-notify', platformTemplates: true } as const;

describe('templateSendableOn', () => {
  it('refuses every version that is not approved, whatever the channel', () => {
    for (const status of ['draft', 'pending', 'rejected'] as const) {
      expect(templateSendableOn(version(status), sms)).toEqual({
        ok: false,
        reason: 'template-not-approved',
      });
    }
  });

  it('refuses a channel type the template does not allow', () => {
    const telegram = { id: 'c-tg', type: 'telegram', platformTemplates: false } as const;
    expect(templateSendableOn(version('approved'), telegram)).toEqual({
      ok: false,
      reason: 'channel-not-allowed',
    });
  });

  it('allows an approved version on a channel without platform moderation', () => {
    expect(templateSendableOn(version('approved'), sms)).toEqual({ ok: true });
  });

  it('on a platform channel, follows that channel’s own platform decision', () => {
    expect(templateSendableOn(version('approved'), notify)).toEqual({
      ok: false,
      reason: 'platform-pending',
    });
    const pending = version('approved', [entry('c-notify', 'pending')]);
    expect(templateSendableOn(pending, notify)).toEqual({ ok: false, reason: 'platform-pending' });
    const rejected = version('approved', [entry('c-notify', 'rejected')]);
    expect(templateSendableOn(rejected, notify)).toEqual({ ok: false, reason: 'platform-rejected' });
    const approved = version('approved', [entry('c-notify', 'approved')]);
    expect(templateSendableOn(approved, notify)).toEqual({ ok: true, platformName: 'order_shipped' });
    const elsewhere = version('approved', [entry('c-other', 'approved')]);
    expect(templateSendableOn(elsewhere, notify)).toEqual({ ok: false, reason: 'platform-pending' });
  });
});

describe('platformTemplateName', () => {
  it('keeps the name for version 1 and suffixes later versions within 64 characters', () => {
    expect(platformTemplateName('order_shipped', 1)).toBe('order_shipped');
    expect(platformTemplateName('order_shipped', 3)).toBe('order_shipped_v3');
    const long = platformTemplateName('a'.repeat(64), 12);
    expect(long).toHaveLength(64);
    expect(long.endsWith('_v12')).toBe(true);
  });
});
