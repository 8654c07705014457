import type { Principal } from '../../src/auth/principal';
import type { InboxCore } from '../inbox-core';

/** Who performs an operator action, as the thread names them. */
export interface Actor {
  /** null for an API key. */
  operatorId: string | null;
  name: string;
}

/** The name an API key acts under in threads (it has no person behind it). */
export const apiActorName = 'API';

/** The acting operator's display name (their e-mail when they set none); API keys act as `API`. */
export async function actorOf(core: Pick<InboxCore, 'models'>, principal: Principal): Promise<Actor> {
  if (principal.kind !== 'operator') return { operatorId: null, name: apiActorName };
  const operator = await core.models.Operator.findOne({
    _id: principal.operatorId,
    workspaceId: principal.workspaceId,
  })
    .select({ name: 1, email: 1 })
    .lean()
    .exec();
  return { operatorId: principal.operatorId, name: operator?.name || operator?.email || 'Operator' };
}
