import { type Types, trusted } from 'mongoose';
import { type ChannelAdapter, type ChannelKind, channelKinds } from '../../adapters/contract';
import type { ChannelRecord } from '../channels/channel-runtime';
import type { Logger } from '../logging/logger';
import type { Models } from '../storage/models';
import { TenantRepository, trustedWorkspaceId, type WorkspaceId } from '../storage/tenant-repository';
import type { BusinessEvents } from '../webhooks-out/business-events';
import { nextPlatformApproval, type PlatformChannel } from './platform-step';
import { defaultCapabilities } from './template-channel-rules';
import { changeTemplate } from './template-claim-model';
import { publishModerated } from './template-events';
import type { PlatformApproval, StoredTemplate, TemplateDoc } from './template-model';

/** Channel kinds whose platform moderates templates itself (capabilities with default config). */
export const platformTemplateKinds: readonly ChannelKind[] = channelKinds.filter(
  (kind) => defaultCapabilities(kind).platformTemplates,
);

export interface PlatformModerationDeps {
  models: Models;
  /** The channel layer's runtime (`ChannelRuntime`): adapters are built and cached there. */
  runtime: { adapterFor(channel: ChannelRecord): ChannelAdapter };
  logger: Logger;
  events?: BusinessEvents;
}

export interface PollSummary {
  templates: number;
  changes: number;
}

/** The newest approved version of each name, plus any older one still waiting for a platform. */
function versionsToSync(approved: StoredTemplate[]): StoredTemplate[] {
  const newest = new Map<string, StoredTemplate>();
  for (const doc of approved) {
    const seen = newest.get(doc.name);
    if (!seen || seen.version < doc.version) newest.set(doc.name, doc);
  }
  const waiting = (doc: StoredTemplate) =>
    (doc.platformApprovals ?? []).some((entry) => entry.status === 'pending');
  return approved.filter((doc) => newest.get(doc.name) === doc || waiting(doc));
}

function withEntry(entries: readonly PlatformApproval[], entry: PlatformApproval): PlatformApproval[] {
  const index = entries.findIndex((existing) => existing.channelId === entry.channelId);
  return index < 0 ? [...entries, entry] : entries.map((existing, at) => (at === index ? entry : existing));
}

/**
 * Template moderation by the platforms themselves. For every approved version (the newest of each
 * name, and older ones still pending somewhere) and every channel of its workspace whose adapter
 * has `templates` and whose type the version allows, it submits the version once, then polls
 * `status` until the platform decides, recording each step in the version's `platformApprovals`.
 * Channels created after an approval are picked up by the next poll.
 *
 * Promised: each recorded change claims the version's next `seq` first, so of two pollers (or a
 * poller and the post-approval submission) only one records a given step; the other drops its
 * result and the next poll redoes it. A failed submission or status call is retried on the next
 * poll, never surfaced as an error. Each platform decision publishes `template.moderated` once.
 * Not promised: that a channel whose account was changed later (PATCHed config) is asked again
 * (a decided entry stays decided), or that versions superseded before being submitted are.
 */
export class PlatformModeration {
  private readonly repo: TenantRepository<TemplateDoc>;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: PlatformModerationDeps) {
    this.repo = new TenantRepository(deps.models.Template);
  }

  /** One pass over every workspace that has platform channels. */
  async pollOnce(): Promise<PollSummary> {
    const channels = await this.platformRecords({});
    const byWorkspace = new Map<string, ChannelRecord[]>();
    for (const channel of channels) {
      const key = String(channel.workspaceId);
      byWorkspace.set(key, [...(byWorkspace.get(key) ?? []), channel]);
    }
    const summary: PollSummary = { templates: 0, changes: 0 };
    for (const [workspace, records] of byWorkspace) {
      const workspaceId = trustedWorkspaceId(workspace);
      const approved = (await this.repo.find(
        workspaceId,
        { status: 'approved' },
        { limit: 5000 },
      )) as StoredTemplate[];
      const platformChannels = this.platformChannels(records);
      for (const template of versionsToSync(approved)) {
        summary.templates += 1;
        summary.changes += await this.syncVersion(template, platformChannels);
      }
    }
    return summary;
  }

  /**
   * Starts submitting one just-approved version in the background (errors are logged; the poller
   * is the safety net). `idle()` waits for such work to finish.
   */
  syncSoon(workspaceId: WorkspaceId, templateId: string): void {
    const work = this.syncTemplate(workspaceId, templateId)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, templateId }, 'platform submission failed'),
      )
      .finally(() => this.running.delete(work));
    this.running.add(work);
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async syncTemplate(workspaceId: WorkspaceId, templateId: string): Promise<void> {
    const template = (await this.repo.findById(workspaceId, templateId)) as StoredTemplate | null;
    if (template?.status !== 'approved') return;
    const records = await this.platformRecords({ workspaceId: template.workspaceId });
    await this.syncVersion(template, this.platformChannels(records));
  }

  /** Channels of the kinds that moderate templates, across workspaces unless `scope` names one. */
  private async platformRecords(scope: { workspaceId?: Types.ObjectId }): Promise<ChannelRecord[]> {
    const filter = { ...scope, type: trusted({ $in: platformTemplateKinds }) };
    return (await this.deps.models.Channel.find(filter).lean().exec()) as ChannelRecord[];
  }

  private platformChannels(records: ChannelRecord[]): PlatformChannel[] {
    return records.flatMap((record) => {
      const id = String(record._id);
      try {
        const { templates } = this.deps.runtime.adapterFor(record);
        return templates ? [{ id, type: record.type as ChannelKind, templates }] : [];
      } catch (error) {
        this.deps.logger.warn({ err: error, channelId: id }, 'channel adapter unavailable for templates');
        return [];
      }
    });
  }

  /** Steps the version on each of its channels, one recorded change at a time; returns how many. */
  private async syncVersion(template: StoredTemplate, channels: PlatformChannel[]): Promise<number> {
    let current = template;
    let changes = 0;
    for (const channel of channels) {
      if (!current.channels.includes(channel.type)) continue;
      const entry = await nextPlatformApproval(current, channel, new Date());
      if (!entry) continue;
      const seq = current.seq;
      const written = await this.record(current, entry);
      if (!written) return changes;
      current = written;
      changes += 1;
      if (entry.status === 'pending') continue;
      const decision = { template: current, seq, status: entry.status, reason: entry.reason ?? null };
      await publishModerated(this.deps.events, this.deps.logger, {
        ...decision,
        channel: { id: channel.id, type: channel.type },
      });
    }
    return changes;
  }

  private record(current: StoredTemplate, entry: PlatformApproval): Promise<StoredTemplate | null> {
    return changeTemplate(this.deps.models, current, {
      action: `platform:${entry.channelId}:${entry.status}`,
      credentialId: null,
      set: { platformApprovals: withEntry(current.platformApprovals ?? [], entry) },
    });
  }
}
