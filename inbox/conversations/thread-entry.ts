import { Types } from 'mongoose';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import type { MessageDirection, MessageDoc, MessageKind, MessageStatus } from '../messages/message-model';
import { type MessageView, type StoredMessage, viewMessage } from '../messages/message-view';
import type { Actor } from './actor';
import type { StoredConversation } from './conversation-view';

/** What an operator writes into a thread; the ids come from the conversation, the author from the actor. */
export interface OperatorMessage {
  direction: Extract<MessageDirection, 'internal' | 'outbound'>;
  kind: MessageKind;
  text: string;
  status: MessageStatus;
  /** Its `dedupeKey` is `<prefix>:<message id>` (an operator's message is never a repeat). */
  dedupePrefix: string;
  /** The template a reply was rendered from. */
  template?: MessageDoc['template'];
}

/**
 * Stores a message an operator (or an API key) puts in a conversation — a reply, a note, an
 * event line — and tells the operators (`message.created`).
 */
export function postOperatorMessage(
  core: Pick<InboxCore, 'models' | 'events'>,
  conversation: StoredConversation,
  actor: Actor,
  message: OperatorMessage,
): Promise<MessageView> {
  return postThreadMessage(
    core,
    conversation,
    { type: 'operator', operatorId: actor.operatorId, name: actor.name },
    message,
  );
}

/** Who writes a thread message that is not the customer's: an operator (or API key), or the bot. */
export type ThreadAuthor =
  | { type: 'operator'; operatorId: string | null; name: string }
  | { type: 'bot'; operatorId: null; name: string };

/** Stores a message `author` puts in a conversation and announces it (`message.created`). */
export async function postThreadMessage(
  core: Pick<InboxCore, 'models' | 'events'>,
  conversation: StoredConversation,
  author: ThreadAuthor,
  message: OperatorMessage,
): Promise<MessageView> {
  const { dedupePrefix, ...fields } = message;
  const _id = new Types.ObjectId();
  const doc = await core.models.InboxMessage.create({
    _id,
    workspaceId: conversation.workspaceId,
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channelId: conversation.channelId,
    author,
    ...fields,
    dedupeKey: `${dedupePrefix}:${String(_id)}`,
  });
  const view = viewMessage(doc.toObject() as StoredMessage);
  await core.events.publish(String(conversation.workspaceId) as WorkspaceId, {
    type: 'message.created',
    conversationId: String(conversation._id),
    data: view,
  });
  return view;
}

/**
 * An internal line of a thread: an operator's note (`note`) or what happened (`event`: "Anna
 * assigned to Boris", "resolved"). Stored with direction `internal` and status `received`
 * (nothing to deliver), never sent to the customer; `message.created` tells the operators.
 */
export function addThreadEntry(
  core: Pick<InboxCore, 'models' | 'events'>,
  conversation: StoredConversation,
  entry: { kind: 'note' | 'event'; actor: Actor; text: string },
): Promise<MessageView> {
  return postOperatorMessage(core, conversation, entry.actor, {
    direction: 'internal',
    kind: entry.kind,
    text: entry.text,
    status: 'received',
    dedupePrefix: entry.kind === 'note' ? 'note' : 'evt',
  });
}
