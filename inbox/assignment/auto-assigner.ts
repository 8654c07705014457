import { Types } from 'mongoose';
import type { KeyedLock } from '../../src/storage/keyed-lock';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { type StoredConversation, viewConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import type { OperatorPresence } from '../realtime/operator-presence';
import type { PresenceAnnouncer } from '../realtime/presence-announcer';
import { type OperatorCapacity, operatorCapacities } from './operator-load';

/** One conversation a pass gave to an operator. */
export interface Assignment {
  conversationId: string;
  operatorId: string;
}

/**
 * Auto-assignment: queued conversations go oldest first (`queuedAt`) to online operators with free
 * capacity (load < maxConversations), the least loaded first. One pass per workspace runs at a time
 * across all processes (a Redis lock), and each conversation is re-checked under its own lock
 * (still queued, still unassigned) before it is given, so two passes never assign one twice.
 * Not promised: fairness between operators of equal load beyond a stable order (by operator id);
 * a transfer between operators frees capacity that only the next pass (at the latest the periodic
 * one) uses.
 */
export interface AutoAssigner {
  /**
   * Asks for a pass in the workspace, without waiting for the caller's sake: requests made while
   * this process runs one coalesce into one more pass. Never rejects (failures are logged).
   */
  request(workspaceId: WorkspaceId): Promise<void>;
  /** Runs one pass now, under the workspace's lock; what it assigned. */
  runPass(workspaceId: WorkspaceId): Promise<Assignment[]>;
}

export interface AutoAssignerDeps {
  core: InboxCore;
  presence: OperatorPresence;
  announce: PresenceAnnouncer;
  /** The workspace-wide pass lock (one pass per workspace at a time). */
  passLock: KeyedLock;
}

export function createAutoAssigner(deps: AutoAssignerDeps): AutoAssigner {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const runPass = (workspaceId: WorkspaceId) =>
    deps.passLock(workspaceId, () => assignQueued(deps, workspaceId));

  async function drain(workspaceId: WorkspaceId): Promise<void> {
    try {
      do {
        again.delete(workspaceId);
        await runPass(workspaceId).catch((error: unknown) =>
          deps.core.logger.error({ err: error, workspaceId }, 'auto-assignment pass failed'),
        );
      } while (again.has(workspaceId));
    } finally {
      running.delete(workspaceId);
    }
  }

  return {
    runPass,
    request(workspaceId) {
      const current = running.get(workspaceId);
      if (current) {
        again.add(workspaceId);
        return current;
      }
      const pass = drain(workspaceId);
      running.set(workspaceId, pass);
      return pass;
    },
  };
}

async function assignQueued(deps: AutoAssignerDeps, workspaceId: WorkspaceId): Promise<Assignment[]> {
  const online = await deps.presence.online(workspaceId);
  if (online.length === 0) return [];
  const operators = (await operatorCapacities(deps.core.models, workspaceId, online)).filter(hasRoom);
  const room = operators.reduce((sum, operator) => sum + operator.maxConversations - operator.load, 0);
  if (room === 0) return [];
  const queued = await deps.core.models.Conversation.find({ workspaceId, state: 'queued', assigneeId: null })
    .sort({ queuedAt: 1, _id: 1 })
    .limit(room)
    .select({ _id: 1 })
    .lean()
    .exec();
  const assignments: Assignment[] = [];
  for (const { _id } of queued) {
    const operator = leastLoaded(operators);
    if (!operator) break;
    if (await assignOne(deps, workspaceId, String(_id), operator.id)) {
      operator.load += 1;
      assignments.push({ conversationId: String(_id), operatorId: operator.id });
    }
  }
  await deps.announce(workspaceId, [...new Set(assignments.map((a) => a.operatorId))]);
  return assignments;
}

const hasRoom = (operator: OperatorCapacity) => operator.load < operator.maxConversations;

function leastLoaded(operators: OperatorCapacity[]): OperatorCapacity | undefined {
  let best: OperatorCapacity | undefined;
  for (const operator of operators) {
    if (hasRoom(operator) && (!best || operator.load < best.load)) best = operator;
  }
  return best;
}

/** Gives one conversation to an operator if it is still queued and unassigned; publishes the change. */
async function assignOne(
  deps: AutoAssignerDeps,
  workspaceId: WorkspaceId,
  conversationId: string,
  operatorId: string,
): Promise<boolean> {
  const { models, lock, events } = deps.core;
  const assigned = await lock(conversationId, async () => {
    const filter = { _id: conversationId, workspaceId };
    const current = await models.Conversation.findOne(filter)
      .select({ state: 1, assigneeId: 1 })
      .lean()
      .exec();
    if (current?.state !== 'queued' || current.assigneeId) return null;
    return models.Conversation.findOneAndUpdate(
      filter,
      { $set: { state: 'human', assigneeId: new Types.ObjectId(operatorId) } },
      { returnDocument: 'after' },
    )
      .lean()
      .exec();
  });
  if (!assigned) return false;
  const view = viewConversation(assigned as StoredConversation);
  await events.publish(workspaceId, { type: 'conversation.updated', conversationId, data: view });
  await events.publish(workspaceId, {
    type: 'conversation.assigned',
    conversationId,
    operatorId,
    data: view,
  });
  deps.core.logger.info({ workspaceId, conversationId, operatorId }, 'conversation auto-assigned');
  return true;
}
