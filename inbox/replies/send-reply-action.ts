import { z } from 'zod';
import type { Principal } from '../../src/auth/principal';
import { validationFailed } from '../../src/http/validation';
import { queueNames } from '../../src/queue/queues';
import { conversationIdSchema } from '../actions/action-schemas';
import { defineAction } from '../actions/inbox-action';
import { type Actor, actorOf } from '../conversations/actor';
import { changeConversation } from '../conversations/change-conversation';
import { findConversation } from '../conversations/conversation-access';
import type { StoredConversation } from '../conversations/conversation-view';
import { postOperatorMessage } from '../conversations/thread-entry';
import type { InboxCore } from '../inbox-core';
import { previewOf } from '../ingest/append-message';
import type { MessageView, StoredMessage } from '../messages/message-view';
import { requireReplyChannel } from './reply-channel';
import { freeTextContent, type ReplyContent, templateContent } from './reply-content';
import { enqueueReply } from './reply-jobs';

export const sendReplyInput = z.strictObject({
  conversationId: conversationIdSchema,
  text: z
    .string()
    .trim()
    .min(1)
    .max(100_000)
    .optional()
    .meta({ description: 'Free text; checked against the channel’s limits (see the composer)' }),
  templateId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'An approved template (instead of text)' }),
  params: z.record(z.string().max(64), z.string().max(2048)).default({}),
});

/**
 * `message.send`: an operator's reply. Checked before anything is stored (the reply window, the
 * channel's limits, the template's approval), stored `queued`, announced (`message.created`) and
 * handed to the reply sender by its id; ticks follow as `message.updated`. A reply in an
 * unassigned `queued` or `bot` conversation makes the replying operator its owner. A reply in a
 * resolved conversation is sent and the conversation stays resolved (the customer's answer
 * reopens it).
 */
export function sendReplyAction(core: InboxCore) {
  return defineAction({
    name: 'message.send',
    scopes: ['inbox:write'],
    input: sendReplyInput,
    async run(principal, input): Promise<MessageView> {
      const conversation = await findConversation(core, principal.workspaceId, input.conversationId);
      const channel = await requireReplyChannel(core, conversation);
      const reply = await contentOf(core, principal, conversation, channel, input);
      const actor = await actorOf(core, principal);
      const message = await postOperatorMessage(core, conversation, actor, {
        direction: 'outbound',
        kind: 'text',
        text: reply.text,
        status: 'queued',
        dedupePrefix: 'out',
        template: reply.template,
      });
      await afterReply(core, principal, actor, message);
      await enqueueReply(core.queues.queue(queueNames.inboxReplies), message.id).catch((error: unknown) =>
        core.logger.warn({ err: error, messageId: message.id }, 'reply not enqueued; the sweeper will'),
      );
      return message;
    },
  });
}

async function contentOf(
  core: InboxCore,
  principal: Principal,
  conversation: StoredConversation,
  channel: Awaited<ReturnType<typeof requireReplyChannel>>,
  input: z.output<typeof sendReplyInput>,
): Promise<ReplyContent> {
  if ((input.text === undefined) === (input.templateId === undefined)) {
    throw validationFailed([{ path: 'body.text', message: 'send either text or templateId (with params)' }]);
  }
  if (input.templateId !== undefined) {
    return templateContent(core, principal.workspaceId, channel, {
      templateId: input.templateId,
      params: input.params,
    });
  }
  return freeTextContent(channel, conversation.lastInboundAt ?? null, input.text ?? '');
}

/**
 * The conversation after a reply (under its lock, see `changeConversation`): the preview and
 * activity time move, the thread counts as read, and an operator replying to an unowned queued /
 * bot conversation takes it ("took over" in the thread).
 */
async function afterReply(
  core: InboxCore,
  principal: Principal,
  actor: Actor,
  message: MessageView,
): Promise<void> {
  const operatorId = principal.kind === 'operator' ? principal.operatorId : null;
  const at = new Date(message.createdAt);
  await changeConversation(core, principal.workspaceId, message.conversationId, actor, (current) => {
    const takes =
      operatorId !== null && !current.assigneeId && (current.state === 'queued' || current.state === 'bot');
    return {
      set: {
        ...(current.lastMessageAt <= at
          ? { lastMessageAt: at, lastMessage: previewOf(message as unknown as StoredMessage) }
          : {}),
        unreadCount: 0,
        ...(takes ? { assigneeId: operatorId, state: 'human', queuedAt: null } : {}),
      },
      event: takes ? `${actor.name} took over` : undefined,
    };
  });
}
