import { Types, trusted } from 'mongoose';
import type { OperatorRole } from '../../src/auth/scopes';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';

/** An operator as auto-assignment and the presence list see them. */
export interface OperatorCapacity {
  id: string;
  name: string;
  email: string;
  role: OperatorRole;
  /** Conversations in state `human` assigned to them. */
  load: number;
  maxConversations: number;
}

/**
 * The workspace's enabled operators (all of them, or only `ids`) with their current load. Two
 * queries whatever the number of operators: FerretDB uses no index, so no query per operator.
 */
export async function operatorCapacities(
  models: Models,
  workspaceId: WorkspaceId,
  ids?: readonly string[],
): Promise<OperatorCapacity[]> {
  const only = ids ? { _id: trusted({ $in: ids.filter(Types.ObjectId.isValid).map(toId) }) } : {};
  const operators = await models.Operator.find({ workspaceId, disabledAt: null, ...only })
    .select({ name: 1, email: 1, role: 1, maxConversations: 1 })
    .sort({ _id: 1 })
    .lean()
    .exec();
  if (operators.length === 0) return [];
  const loads = await loadsOf(
    models,
    workspaceId,
    operators.map((operator) => operator._id),
  );
  return operators.map((operator) => ({
    id: String(operator._id),
    name: operator.name,
    email: operator.email,
    role: operator.role as OperatorRole,
    load: loads.get(String(operator._id)) ?? 0,
    maxConversations: operator.maxConversations ?? 5,
  }));
}

/** Conversations in state `human` per assignee, for the given operators. */
async function loadsOf(
  models: Models,
  workspaceId: WorkspaceId,
  operatorIds: readonly Types.ObjectId[],
): Promise<Map<string, number>> {
  const owned = await models.Conversation.find({
    workspaceId,
    state: 'human',
    assigneeId: trusted({ $in: [...operatorIds] }),
  })
    .select({ assigneeId: 1 })
    .lean()
    .exec();
  const loads = new Map<string, number>();
  for (const conversation of owned) {
    const key = String(conversation.assigneeId);
    loads.set(key, (loads.get(key) ?? 0) + 1);
  }
  return loads;
}

const toId = (id: string) => new Types.ObjectId(id);
