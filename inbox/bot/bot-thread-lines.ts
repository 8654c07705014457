import { Types } from 'mongoose';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import { type StoredMessage, viewMessage } from '../messages/message-view';

/** Why the bot handed a conversation over, as the operators read it in the thread. */
const reasons: Record<string, string> = {
  keyword: 'the customer asked for an operator',
  button: 'the customer pressed “call an operator”',
  misses: 'the bot did not understand the customer several times in a row',
  'flow-error': 'the bot flow failed (see the service log)',
};

/**
 * An internal event line in the thread (never sent): «Bot shop-faq handed over: the customer
 * asked for an operator». Announced as `message.created` like every thread entry.
 */
export async function recordHandoffLine(
  core: Pick<InboxCore, 'models' | 'events'>,
  conversation: StoredConversation,
  flowName: string,
  reason: string,
): Promise<void> {
  const _id = new Types.ObjectId();
  const doc = await core.models.InboxMessage.create({
    _id,
    workspaceId: conversation.workspaceId,
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channelId: conversation.channelId,
    direction: 'internal',
    kind: 'event',
    author: { type: 'bot', operatorId: null, name: flowName },
    text: `Bot ${flowName} handed over: ${reasons[reason] ?? reason}`,
    status: 'received',
    dedupeKey: `evt:${String(_id)}`,
  });
  await core.events.publish(String(conversation.workspaceId) as WorkspaceId, {
    type: 'message.created',
    conversationId: String(conversation._id),
    data: viewMessage(doc.toObject() as StoredMessage),
  });
}
