import { isDuplicateKey } from '../../src/storage/duplicate-key';
import type { StoredContact } from '../contacts/contact-resolver';
import type { ConversationState } from '../conversations/conversation-model';
import type { StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';

export interface ConversationKey {
  workspaceId: string;
  channelId: string;
  channelType: string;
  /** The platform chat / peer id replies go to. */
  externalChatId: string;
}

/**
 * The conversation of a channel chat, created in `initialState` when there is none. The unique
 * (workspace, channel, chat) index makes creation a claim: a process that loses the race reads
 * the winner's. A new conversation has no last message yet (`lastMessage.direction` null) until
 * its first message is appended, which then publishes `conversation.created`.
 */
export async function ensureConversation(
  core: InboxCore,
  key: ConversationKey,
  contact: StoredContact,
  initialState: ConversationState,
): Promise<StoredConversation> {
  const existing = await findConversation(core, key);
  if (existing) return existing;
  const now = new Date();
  try {
    const doc = await core.models.Conversation.create({
      ...key,
      contactId: contact._id,
      state: initialState,
      contactName: contact.name ?? null,
      contactPhone: contact.phone ?? null,
      lastMessageAt: now,
      lastMessage: { direction: null, kind: null, text: '' },
      queuedAt: initialState === 'queued' ? now : null,
      resolvedAt: initialState === 'closed' ? now : null,
    });
    return doc.toObject() as StoredConversation;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const winner = await findConversation(core, key);
    if (!winner) throw new Error('a conversation vanished while it was being read', { cause: error });
    return winner;
  }
}

async function findConversation(core: InboxCore, key: ConversationKey): Promise<StoredConversation | null> {
  return (await core.models.Conversation.findOne({
    workspaceId: key.workspaceId,
    channelId: key.channelId,
    externalChatId: key.externalChatId,
  })
    .lean()
    .exec()) as StoredConversation | null;
}
