import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { operatorCapacities } from '../assignment/operator-load';
import type { InboxEvents } from './inbox-events';
import type { OperatorPresence } from './operator-presence';

/** `operator.presence` data: whether the operator is online and how much they carry. */
export interface PresenceData {
  operatorId: string;
  online: boolean;
  load: number;
  maxConversations: number;
}

/** Publishes the current presence (online, load, capacity) of some operators of a workspace. */
export type PresenceAnnouncer = (workspaceId: WorkspaceId, operatorIds: readonly string[]) => Promise<void>;

export function createPresenceAnnouncer(deps: {
  models: Models;
  presence: OperatorPresence;
  events: () => InboxEvents;
}): PresenceAnnouncer {
  return async (workspaceId, operatorIds) => {
    if (operatorIds.length === 0) return;
    const [online, capacities] = await Promise.all([
      deps.presence.online(workspaceId),
      operatorCapacities(deps.models, workspaceId, operatorIds),
    ]);
    for (const operator of capacities) {
      const data: PresenceData = {
        operatorId: operator.id,
        online: online.includes(operator.id),
        load: operator.load,
        maxConversations: operator.maxConversations,
      };
      await deps.events().publish(workspaceId, { type: 'operator.presence', data });
    }
  };
}
