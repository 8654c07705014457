import { Types } from 'mongoose';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import { type MessageView, type StoredMessage, viewMessage } from '../messages/message-view';
import type { Actor } from './actor';
import type { StoredConversation } from './conversation-view';

/**
 * An internal line of a thread: an operator's note (`note`) or what happened (`event`: "Anna
 * assigned to Boris", "resolved"). Stored with direction `internal` and status `received`
 * (nothing to deliver), never sent to the customer; `message.created` tells the operators.
 */
export async function addThreadEntry(
  core: Pick<InboxCore, 'models' | 'events'>,
  conversation: StoredConversation,
  entry: { kind: 'note' | 'event'; actor: Actor; text: string },
): Promise<MessageView> {
  const _id = new Types.ObjectId();
  const doc = await core.models.InboxMessage.create({
    _id,
    workspaceId: conversation.workspaceId,
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channelId: conversation.channelId,
    direction: 'internal',
    kind: entry.kind,
    author: { type: 'operator', operatorId: entry.actor.operatorId, name: entry.actor.name },
    text: entry.text,
    dedupeKey: `${entry.kind === 'note' ? 'note' : 'evt'}:${String(_id)}`,
    status: 'received',
  });
  const view = viewMessage(doc.toObject() as StoredMessage);
  await core.events.publish(String(conversation.workspaceId) as WorkspaceId, {
    type: 'message.created',
    conversationId: String(conversation._id),
    data: view,
  });
  return view;
}
