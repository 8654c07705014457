import type { ChannelKind } from '../../adapters/contract';
import type { Logger } from '../logging/logger';
import { trustedWorkspaceId } from '../storage/tenant-repository';
import type { BusinessEvents } from '../webhooks-out/business-events';
import type { StoredTemplate } from './template-model';

/** One moderation decision: ours (no `channel`) or a platform's on one channel. */
export interface ModerationDecision {
  template: Pick<StoredTemplate, '_id' | 'workspaceId' | 'name' | 'version'>;
  /** The claimed `seq` of the change that recorded the decision: unique per version. */
  seq: number;
  status: 'approved' | 'rejected';
  reason: string | null;
  channel?: { id: string; type: ChannelKind };
}

/** `tpl_<id>_<seq>`: the same decision always has the same id, so a retried publish is stored once. */
export const moderationEventId = (decision: Pick<ModerationDecision, 'template' | 'seq'>): string =>
  `tpl_${String(decision.template._id)}_${decision.seq}`;

/**
 * Publishes `template.moderated`. The decision is already stored when this runs, so a failing
 * publish is logged and does not undo or fail it (without a logger it is thrown). Without `events`
 * (not wired) it does nothing.
 */
export async function publishModerated(
  events: BusinessEvents | undefined,
  logger: Logger | undefined,
  decision: ModerationDecision,
): Promise<void> {
  if (!events) return;
  const { template } = decision;
  const data = {
    templateId: String(template._id),
    name: template.name,
    version: template.version,
    status: decision.status,
    reason: decision.reason,
    ...(decision.channel ? { channel: decision.channel } : {}),
  };
  try {
    await events.publish(trustedWorkspaceId(String(template.workspaceId)), 'template.moderated', data, {
      eventId: moderationEventId(decision),
    });
  } catch (error) {
    if (!logger) throw error;
    logger.error(
      { err: error, templateId: data.templateId, eventId: moderationEventId(decision) },
      'template.moderated could not be published',
    );
  }
}
