import type { Types } from 'mongoose';
import { isDuplicateKey } from '../../src/storage/duplicate-key';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { type StoredConversation, viewConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import type { StoredButton } from '../messages/message-buttons';
import type { MessageDirection, MessageKind, MessageStatus } from '../messages/message-model';
import { type StoredMessage, viewMessage } from '../messages/message-view';

/** A message to store, without the ids the conversation gives it (see the message model's fields). */
export interface NewMessage {
  direction: MessageDirection;
  kind: MessageKind;
  author: {
    type: 'contact' | 'operator' | 'bot' | 'system';
    operatorId: Types.ObjectId | null;
    name: string | null;
  };
  text: string;
  attachments: {
    kind: string;
    fileId: string | null;
    fileName: string | null;
    mimeType: string | null;
    size: number | null;
    details: unknown;
  }[];
  dedupeKey: string;
  externalMessageId: string | null;
  status: MessageStatus;
  statusTimes: { sent: Date | null; delivered: Date | null; read: Date | null; failed: Date | null };
  failureReason: string | null;
  source: { kind: 'notification' | 'mailing'; id: string; name: string; attemptId: string | null } | null;
  replyTo: {
    messageId: Types.ObjectId;
    inferred: boolean;
    via: string;
    kind: string;
    name: string | null;
    text: string;
  } | null;
  channelEventId: string | null;
  payload: string | null;
  /** An outbound message's buttons as the channel gets them (the bot's replies). */
  buttons?: StoredButton[];
}

/** What a stored message changes on its conversation (computed from the conversation read under the lock). */
export type ConversationChange = (
  conversation: StoredConversation,
  message: StoredMessage,
) => Record<string, unknown>;

const previewLength = 200;

/** The list's preview of a message: its text (or its first attachment's kind), at most 200 characters. */
export function previewOf(message: Pick<StoredMessage, 'direction' | 'kind' | 'text' | 'attachments'>) {
  const first = message.attachments?.[0];
  const text = message.text || (first ? `[${first.kind}]` : '');
  return {
    direction: message.direction,
    kind: message.kind,
    text: [...text].slice(0, previewLength).join(''),
  };
}

/**
 * Stores a message in a conversation once and applies it to the conversation, under the
 * conversation's lock: the message is claimed by its unique `dedupeKey`, the conversation is
 * read, changed by `change` and written, then `conversation.created` (its first message) or
 * `conversation.updated` and `message.created` are published. A repeat (platform retry, a second
 * process) finds the message applied and does nothing: null. A message stored by a process that
 * died before applying it (the conversation's `lastMessageAt` is older) is applied now.
 */
export async function appendMessage(
  core: InboxCore,
  conversation: StoredConversation,
  message: NewMessage,
  change: ConversationChange,
): Promise<{ message: StoredMessage; conversation: StoredConversation } | null> {
  const conversationId = String(conversation._id);
  return core.lock(conversationId, async () => {
    const current = (await core.models.Conversation.findById(conversationId)
      .lean()
      .exec()) as StoredConversation | null;
    if (!current) return null;
    const stored = await storeOnce(core, current, message);
    if (!stored) return null;
    const wasNew = !current.lastMessage?.direction;
    const updated = (await core.models.Conversation.findOneAndUpdate(
      { _id: current._id },
      { $set: change(current, stored) },
      { returnDocument: 'after' },
    )
      .lean()
      .exec()) as StoredConversation | null;
    if (!updated) return null;
    const workspaceId = trustedWorkspaceId(String(current.workspaceId));
    await core.events.publish(workspaceId, {
      type: wasNew ? 'conversation.created' : 'conversation.updated',
      conversationId,
      data: viewConversation(updated),
    });
    await core.events.publish(workspaceId, {
      type: 'message.created',
      conversationId,
      data: viewMessage(stored),
    });
    return { message: stored, conversation: updated };
  });
}

/**
 * The new message, or one stored earlier whose application was lost; null when it was applied.
 * The insert comes first (the unique `dedupeKey` is the claim), so only a repeat reads the stored one.
 */
async function storeOnce(
  core: InboxCore,
  conversation: StoredConversation,
  message: NewMessage,
): Promise<StoredMessage | null> {
  const { workspaceId } = conversation;
  try {
    const doc = await core.models.InboxMessage.create({
      ...message,
      workspaceId,
      conversationId: conversation._id,
      contactId: conversation.contactId,
      channelId: conversation.channelId,
    });
    return doc.toObject() as StoredMessage;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const existing = (await core.models.InboxMessage.findOne({ workspaceId, dedupeKey: message.dedupeKey })
    .lean()
    .exec()) as StoredMessage | null;
  return existing && conversation.lastMessageAt < existing.createdAt ? existing : null;
}
