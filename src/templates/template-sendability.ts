import type { ChannelKind } from '../../adapters/contract';
import { templateLimits } from './template-limits';
import type { PlatformApproval, StoredTemplate } from './template-model';

/** Why a template version cannot be sent on a channel. */
export type NotSendableReason =
  | 'template-not-approved'
  | 'channel-not-allowed'
  | 'platform-pending'
  | 'platform-rejected';

/**
 * `platformName` is set on channels whose platform moderates templates: the name to send the
 * template by there (see `platformTemplateName`).
 */
export type Sendability = { ok: true; platformName?: string } | { ok: false; reason: NotSendableReason };

/** The channel as the sender knows it; `platformTemplates` is `adapter.capabilities.platformTemplates`. */
export interface SendabilityChannel {
  id: string;
  type: ChannelKind;
  platformTemplates: boolean;
}

/**
 * The name a template version has on a platform. Platforms keep one template per name (and the
 * gateway refuses to replace an approved one), so version 1 keeps the name and later versions get
 * `<name>_v<N>`, the name cut so the whole stays within 64 characters.
 */
export function platformTemplateName(name: string, version: number): string {
  if (version <= 1) return name;
  const suffix = `_v${version}`;
  return `${name.slice(0, templateLimits.nameMaxLength - suffix.length)}${suffix}`;
}

/** The platform moderation entry of a version for one channel, if it was ever submitted there. */
export function platformApprovalOf(
  template: StoredTemplate,
  channelId: string,
): PlatformApproval | undefined {
  return (template.platformApprovals ?? []).find((entry) => entry.channelId === channelId);
}

/**
 * Whether a template version may be sent on a channel. Pure: decides from the stored version only.
 *
 * Promised: `ok` only when the version is `approved` by our moderation, the channel's type is among
 * the template's allowed `channels`, and — where the channel's platform moderates templates
 * itself (`platformTemplates`) — the platform approved this version for this very channel
 * (an approval on another channel of the same type does not count). A platform channel the version
 * was not yet submitted to is `platform-pending` (the poller submits it).
 * Not promised: that the rendered content fits the channel (text length, buttons, images: check
 * those with `renderTemplate` / `buttonsForChannel` / `validateContent`), nor that the platform
 * still holds the template at send time (it may answer `template-not-approved`).
 */
export function templateSendableOn(template: StoredTemplate, channel: SendabilityChannel): Sendability {
  if (template.status !== 'approved') return { ok: false, reason: 'template-not-approved' };
  if (!template.channels.includes(channel.type)) return { ok: false, reason: 'channel-not-allowed' };
  if (!channel.platformTemplates) return { ok: true };
  const entry = platformApprovalOf(template, channel.id);
  if (entry?.status === 'approved') return { ok: true, platformName: entry.platformName };
  return { ok: false, reason: entry?.status === 'rejected' ? 'platform-rejected' : 'platform-pending' };
}
