import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { findConversation } from '../conversations/conversation-access';
import {
  type ConversationView,
  type StoredConversation,
  viewConversation,
} from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';

/** What `handOff` did: the conversation as it now is, and whether it moved from `bot` to `queued`. */
export interface HandOffResult {
  conversation: ConversationView;
  handedOff: boolean;
}

/**
 * Moves a conversation from the bot to the operators' queue (`bot` → `queued`, `queuedAt` now) and
 * publishes `conversation.handoff` (data: the ConversationView plus `reason`), which notifies the
 * operators and, through the realtime layer's publisher, triggers auto-assignment. For bot flows.
 * A conversation not in state `bot` is left as it is (`handedOff: false`): a human who owns one
 * keeps it, and a queued one keeps its place. Another workspace's id is `resource.not_found`.
 */
export async function handOff(
  core: InboxCore,
  workspaceId: WorkspaceId,
  conversationId: string,
  reason: string,
): Promise<HandOffResult> {
  const outcome = await core.lock(conversationId, async () => {
    const current = await findConversation(core, workspaceId, conversationId);
    if (current.state !== 'bot') return { doc: current, handedOff: false };
    const doc = await core.models.Conversation.findOneAndUpdate(
      { _id: current._id, workspaceId },
      {
        $set: {
          state: 'queued',
          assigneeId: null,
          queuedAt: new Date(),
          handoff: { at: new Date(), reason },
        },
      },
      { returnDocument: 'after' },
    )
      .lean()
      .exec();
    return { doc: doc ?? current, handedOff: doc !== null };
  });
  const conversation = viewConversation(outcome.doc as StoredConversation);
  if (outcome.handedOff) {
    await core.events.publish(workspaceId, {
      type: 'conversation.handoff',
      conversationId,
      data: { ...conversation, reason },
    });
  }
  return { conversation, handedOff: outcome.handedOff };
}
