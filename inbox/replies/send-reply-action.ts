import { Types } from 'mongoose';
import { z } from 'zod';
import type { Principal } from '../../src/auth/principal';
import { validationFailed } from '../../src/http/validation';
import { queueNames } from '../../src/queue/queues';
import { conversationIdSchema } from '../actions/action-schemas';
import { defineAction } from '../actions/inbox-action';
import { type Actor, actorOf } from '../conversations/actor';
import { findConversation } from '../conversations/conversation-access';
import { type StoredConversation, viewConversation } from '../conversations/conversation-view';
import { addThreadEntry } from '../conversations/thread-entry';
import type { InboxCore } from '../inbox-core';
import { type MessageView, type StoredMessage, viewMessage } from '../messages/message-view';
import { requireReplyChannel } from './reply-channel';
import { freeTextContent, type ReplyContent, templateContent } from './reply-content';
import { enqueueReply } from './reply-jobs';

/** The list preview keeps this many characters of the last message. */
export const previewLength = 200;

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
      const message = await storeReply(core, conversation, actor, reply);
      await core.events.publish(principal.workspaceId, {
        type: 'message.created',
        conversationId: message.conversationId,
        data: message,
      });
      await afterReply(core, principal, actor, conversation, message);
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

async function storeReply(
  core: InboxCore,
  conversation: StoredConversation,
  actor: Actor,
  reply: ReplyContent,
): Promise<MessageView> {
  const _id = new Types.ObjectId();
  const doc = await core.models.InboxMessage.create({
    _id,
    workspaceId: conversation.workspaceId,
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channelId: conversation.channelId,
    direction: 'outbound',
    kind: 'text',
    author: { type: 'operator', operatorId: actor.operatorId, name: actor.name },
    text: reply.text,
    dedupeKey: `out:${String(_id)}`,
    status: 'queued',
    template: reply.template,
  });
  return viewMessage(doc.toObject() as StoredMessage);
}

/**
 * The conversation after a reply, under its lock: the preview and activity time move, the thread
 * counts as read, and an operator replying to an unowned queued / bot conversation takes it.
 */
async function afterReply(
  core: InboxCore,
  principal: Principal,
  actor: Actor,
  conversation: StoredConversation,
  message: MessageView,
): Promise<void> {
  const id = String(conversation._id);
  const outcome = await core.lock(id, async () => {
    const current = await findConversation(core, principal.workspaceId, id);
    const takes =
      principal.kind === 'operator' &&
      !current.assigneeId &&
      (current.state === 'queued' || current.state === 'bot');
    const at = new Date(message.createdAt);
    const newest = current.lastMessageAt <= at;
    const set = {
      ...(newest
        ? {
            lastMessageAt: at,
            lastMessage: { direction: 'outbound', kind: 'text', text: message.text.slice(0, previewLength) },
          }
        : {}),
      unreadCount: 0,
      ...(takes && principal.kind === 'operator'
        ? { assigneeId: principal.operatorId, state: 'human', queuedAt: null }
        : {}),
    };
    const updated = await core.models.Conversation.findOneAndUpdate(
      { _id: current._id, workspaceId: principal.workspaceId },
      { $set: set },
      { returnDocument: 'after' },
    )
      .lean()
      .exec();
    return { conversation: (updated ?? current) as StoredConversation, takes };
  });
  if (outcome.takes) {
    await addThreadEntry(core, outcome.conversation, {
      kind: 'event',
      actor,
      text: `${actor.name} took over`,
    });
  }
  const view = viewConversation(outcome.conversation);
  await core.events.publish(principal.workspaceId, {
    type: 'conversation.updated',
    conversationId: id,
    data: view,
  });
}
