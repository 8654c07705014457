import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import { AppError } from '../../src/errors/app-error';
import type { Actor } from '../conversations/actor';
import { actorOf } from '../conversations/actor';
import { changeConversation } from '../conversations/change-conversation';
import type { ConversationView, StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import { conversationIdSchema, tagsSchema } from './action-schemas';
import { defineAction } from './inbox-action';

const onConversation = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject({ conversationId: conversationIdSchema, ...shape });

/** An enabled operator of the workspace by id: 404 when not of this workspace, 422 when disabled. */
async function targetOperator(core: InboxCore, workspaceId: string, operatorId: string) {
  const operator = isValidObjectId(operatorId)
    ? await core.models.Operator.findOne({ _id: operatorId, workspaceId })
        .select({ name: 1, email: 1, disabledAt: 1 })
        .lean()
        .exec()
    : null;
  if (!operator) throw new AppError('resource.not_found', 'No such operator in this workspace.');
  if (operator.disabledAt) {
    throw new AppError('inbox.operator_unavailable', 'The operator is disabled; assign an enabled one.');
  }
  return { id: String(operator._id), name: operator.name || operator.email };
}

async function operatorName(core: InboxCore, workspaceId: string, operatorId: string): Promise<string> {
  const operator = await core.models.Operator.findOne({ _id: operatorId, workspaceId })
    .select({ name: 1, email: 1 })
    .lean()
    .exec();
  return operator ? operator.name || operator.email : 'a former operator';
}

/** The state after an assignment change: a closed conversation stays closed. */
function assignedState(current: StoredConversation, assigneeId: string | null) {
  if (current.state === 'closed') return { state: 'closed', queuedAt: null };
  if (assigneeId) return { state: 'human', queuedAt: null };
  return { state: 'queued', queuedAt: new Date() };
}

function assignmentLine(actor: Actor, previous: string | null, next: string | null): string {
  if (previous && next) return `${actor.name} transferred from ${previous} to ${next}`;
  if (next) return `${actor.name} assigned to ${next}`;
  return `${actor.name} unassigned ${previous ?? 'the conversation'}`;
}

/** The actions that change a conversation's ownership, status, tags and read mark. */
export function conversationActions(core: InboxCore) {
  const assign = defineAction({
    name: 'conversation.assign',
    scopes: ['inbox:write'],
    input: onConversation({
      operatorId: z
        .string()
        .min(1)
        .max(64)
        .nullable()
        .meta({ description: 'The operator to assign (or transfer) to; null unassigns (back to the queue)' }),
    }),
    async run(principal, input): Promise<ConversationView> {
      const { workspaceId } = principal;
      const actor = await actorOf(core, principal);
      const target = input.operatorId ? await targetOperator(core, workspaceId, input.operatorId) : null;
      return changeConversation(core, workspaceId, input.conversationId, actor, async (current) => {
        const previousId = current.assigneeId ? String(current.assigneeId) : null;
        if (previousId === (target?.id ?? null)) return null;
        const previous = previousId ? await operatorName(core, workspaceId, previousId) : null;
        return {
          set: { assigneeId: target?.id ?? null, ...assignedState(current, target?.id ?? null) },
          event: assignmentLine(actor, previous, target?.name ?? null),
        };
      });
    },
  });

  const resolve = defineAction({
    name: 'conversation.resolve',
    scopes: ['inbox:write'],
    input: onConversation({}),
    async run(principal, input): Promise<ConversationView> {
      const actor = await actorOf(core, principal);
      return changeConversation(core, principal.workspaceId, input.conversationId, actor, (current) =>
        current.state === 'closed'
          ? null
          : {
              set: { state: 'closed', resolvedAt: new Date(), unreadCount: 0, queuedAt: null },
              event: `${actor.name} resolved`,
            },
      );
    },
  });

  const reopen = defineAction({
    name: 'conversation.reopen',
    scopes: ['inbox:write'],
    input: onConversation({}),
    async run(principal, input): Promise<ConversationView> {
      const actor = await actorOf(core, principal);
      return changeConversation(core, principal.workspaceId, input.conversationId, actor, (current) =>
        current.state !== 'closed'
          ? null
          : {
              set: {
                state: current.assigneeId ? 'human' : 'queued',
                queuedAt: current.assigneeId ? null : new Date(),
                resolvedAt: null,
              },
              event: `${actor.name} reopened`,
            },
      );
    },
  });

  const tags = defineAction({
    name: 'conversation.tags',
    scopes: ['inbox:write'],
    input: onConversation({ tags: tagsSchema }),
    async run(principal, input): Promise<ConversationView> {
      const actor = await actorOf(core, principal);
      return changeConversation(core, principal.workspaceId, input.conversationId, actor, (current) => {
        const same =
          current.tags.length === input.tags.length && input.tags.every((tag) => current.tags.includes(tag));
        if (same) return null;
        const line = input.tags.length > 0 ? `tagged: ${input.tags.join(', ')}` : 'removed the tags';
        return { set: { tags: input.tags }, event: `${actor.name} ${line}` };
      });
    },
  });

  const read = defineAction({
    name: 'conversation.read',
    scopes: ['inbox:write'],
    input: onConversation({}),
    async run(principal, input): Promise<ConversationView> {
      // Reading leaves no line in the thread (it is not something that happened to the customer),
      // so it needs no actor.
      return changeConversation(core, principal.workspaceId, input.conversationId, null, (current) =>
        current.unreadCount === 0 ? null : { set: { unreadCount: 0 } },
      );
    },
  });

  return { assign, resolve, reopen, tags, read };
}
