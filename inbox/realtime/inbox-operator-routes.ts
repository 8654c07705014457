import { z } from 'zod';
import { operatorRoles } from '../../src/auth/scopes';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import type { Models } from '../../src/storage/models';
import { operatorCapacities } from '../assignment/operator-load';
import type { OperatorPresence } from './operator-presence';

export const inboxOperatorView = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(operatorRoles),
    /** At least one socket of theirs is connected on some `serve` node. */
    online: z.boolean(),
    /** Conversations in state `human` assigned to them. */
    load: z.number().int(),
    /** Auto-assignment gives them conversations while `load` is below this. */
    maxConversations: z.number().int(),
  })
  .meta({ id: 'InboxOperator' });

/** GET /v1/inbox/operators: the workspace's enabled operators with presence and load (for transfer pickers). */
export function inboxOperatorRoutes(deps: { models: Models; presence: OperatorPresence }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/inbox/operators',
      summary: 'Operators of the inbox: who is online, their load and capacity',
      tag: 'inbox',
      access: ['inbox:read'],
      response: { status: 200, schema: z.array(inboxOperatorView), description: 'Operators' },
      async handle({ principal }) {
        const [capacities, online] = await Promise.all([
          operatorCapacities(deps.models, principal.workspaceId),
          deps.presence.online(principal.workspaceId),
        ]);
        const onlineIds = new Set(online);
        return capacities.map((operator) => ({
          ...operator,
          online: onlineIds.has(operator.id),
        }));
      },
    }),
  ];
}
