import { queueNames } from '../../src/queue/queues';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import type { OperatorPresence } from '../realtime/operator-presence';
import type { AutoAssigner } from './auto-assigner';

/** The periodic job's name on queue `inbox-assignment` (the only one its worker handles). */
export const assignmentSweepJob = 'inbox-assignment-sweep';

export interface AssignmentWorkerDeps {
  core: InboxCore;
  presence: OperatorPresence;
  assigner: AutoAssigner;
  onOffline(workspaceId: WorkspaceId, operatorIds: string[]): Promise<void>;
  /** Default 15 s. */
  everyMs?: number;
}

/**
 * The safety net behind event-driven assignment (after a crash or a Redis flush lost a trigger):
 * every `everyMs`, for each workspace with presence or queued conversations, sweeps expired
 * presence (announcing operators of a crashed node offline) and runs an assignment pass.
 */
export async function startAssignmentWorker(deps: AssignmentWorkerDeps): Promise<void> {
  const { queues, logger } = deps.core;
  await queues.schedule(queueNames.inboxAssignment, assignmentSweepJob, { everyMs: deps.everyMs ?? 15_000 });
  queues.worker(queueNames.inboxAssignment, async (job) => {
    if (job.name !== assignmentSweepJob) {
      logger.warn({ job: job.name }, 'unknown inbox-assignment job ignored');
      return { unsupported: job.name };
    }
    return sweepAndAssign(deps);
  });
}

/** One safety-net round over every workspace that may need it. */
export async function sweepAndAssign(deps: AssignmentWorkerDeps): Promise<{ workspaces: number }> {
  const withQueue = await deps.core.models.Conversation.distinct('workspaceId', { state: 'queued' }).exec();
  const workspaces = new Set([...(await deps.presence.workspaces()), ...withQueue.map(String)]);
  for (const id of workspaces) {
    const workspaceId = trustedWorkspaceId(id);
    const offline = await deps.presence.sweep(workspaceId);
    if (offline.length > 0) await deps.onOffline(workspaceId, offline);
    await deps.assigner.request(workspaceId);
  }
  return { workspaces: workspaces.size };
}
