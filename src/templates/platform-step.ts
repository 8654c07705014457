import type { ChannelKind, PlatformTemplateStatus, PlatformTemplates } from '../../adapters/contract';
import { platformTemplateFor } from './platform-text';
import type { PlatformApproval, StoredTemplate } from './template-model';
import { platformApprovalOf, platformTemplateName } from './template-sendability';

/** A platform channel as the poller sees it. */
export interface PlatformChannel {
  id: string;
  type: ChannelKind;
  templates: PlatformTemplates;
}

type Lookup = { status: PlatformTemplateStatus; reason?: string } | null | { error: string };

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `status(name)`, with a thrown failure (network, gateway error) as `{ error }`. */
async function lookup(templates: PlatformTemplates, name: string): Promise<Lookup> {
  try {
    return await templates.status(name);
  } catch (error) {
    return { error: describe(error) };
  }
}

function fromStatus(
  status: PlatformTemplateStatus,
  reason: string | null,
  now: Date,
): Partial<PlatformApproval> {
  return { status, reason, decidedAt: status === 'pending' ? null : now, lastError: null };
}

/**
 * Submits the version. When the platform refuses (it may already hold the name: a submission
 * whose answer was lost, or one made by hand), what it holds under the name is adopted; when it
 * cannot be reached, `lastError` is kept and the next poll submits again.
 */
async function submit(
  channel: PlatformChannel,
  template: StoredTemplate,
  platformName: string,
  now: Date,
): Promise<Partial<PlatformApproval>> {
  const request = platformTemplateFor(channel.type, template, platformName);
  if (!request.ok) return { status: 'rejected', reason: request.detail, decidedAt: now, lastError: null };
  let answer: Awaited<ReturnType<PlatformTemplates['submit']>>;
  try {
    answer = await channel.templates.submit(request.template);
  } catch (error) {
    answer = { ok: false, detail: describe(error) };
  }
  if (answer.ok) return { submittedAt: now, ...fromStatus(answer.status, null, now) };
  const held = await lookup(channel.templates, platformName);
  if (held && !('error' in held))
    return { submittedAt: now, ...fromStatus(held.status, held.reason ?? null, now) };
  return { lastError: `submission failed: ${answer.detail}` };
}

/** Asks the platform how a submitted version stands. */
async function check(
  channel: PlatformChannel,
  platformName: string,
  now: Date,
): Promise<Partial<PlatformApproval>> {
  const held = await lookup(channel.templates, platformName);
  if (held === null)
    return { submittedAt: null, lastError: 'the platform no longer lists it; submitting again' };
  if ('error' in held) return { lastError: `status check failed: ${held.error}` };
  return fromStatus(held.status, held.reason ?? null, now);
}

const unchanged = (a: PlatformApproval, b: PlatformApproval): boolean =>
  a.status === b.status &&
  (a.reason ?? null) === (b.reason ?? null) &&
  Boolean(a.submittedAt) === Boolean(b.submittedAt) &&
  (a.lastError ?? null) === (b.lastError ?? null);

/**
 * The next state of a version on one platform channel, after at most one submission or status
 * call; null when nothing changed (or it was decided already). Never throws for platform failures.
 */
export async function nextPlatformApproval(
  template: StoredTemplate,
  channel: PlatformChannel,
  now: Date,
): Promise<PlatformApproval | null> {
  const entry = platformApprovalOf(template, channel.id);
  if (entry && entry.status !== 'pending') return null;
  const base: PlatformApproval = entry ?? {
    channelId: channel.id,
    channelType: channel.type,
    platformName: platformTemplateName(template.name, template.version),
    status: 'pending',
    reason: null,
    submittedAt: null,
    decidedAt: null,
    lastError: null,
  };
  const change = base.submittedAt
    ? await check(channel, base.platformName, now)
    : await submit(channel, template, base.platformName, now);
  const next = { ...base, ...change };
  return entry && unchanged(entry, next) ? null : next;
}
