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

/** What a hand-off writes on a conversation in state `bot`: to the queue, unassigned, with when and why. */
export function handOffFields(reason: string, at: Date = new Date()) {
  return { state: 'queued', assigneeId: null, queuedAt: at, handoff: { at, reason }, bot: null };
}

/**
 * Publishes `conversation.handoff` (data: the ConversationView as it now is, plus `reason`), which
 * notifies the operators and, through the realtime layer's publisher, triggers auto-assignment.
 * For a hand-off already written with `handOffFields` (the bot writes it with its turn).
 */
export async function announceHandOff(
  core: InboxCore,
  workspaceId: WorkspaceId,
  conversationId: string,
  reason: string,
): Promise<void> {
  const conversation = viewConversation(await findConversation(core, workspaceId, conversationId));
  await publishHandOff(core, workspaceId, conversation, reason);
}

function publishHandOff(
  core: InboxCore,
  workspaceId: WorkspaceId,
  conversation: ConversationView,
  reason: string,
) {
  return core.events.publish(workspaceId, {
    type: 'conversation.handoff',
    conversationId: conversation.id,
    data: { ...conversation, reason },
  });
}

/**
 * Moves a conversation from the bot to the operators' queue (`handOffFields`) and announces it
 * (`announceHandOff`). A conversation not in state `bot` is left as it is (`handedOff: false`): a
 * human who owns one keeps it, and a queued one keeps its place. Another workspace's id is
 * `resource.not_found`.
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
      { $set: handOffFields(reason) },
      { returnDocument: 'after' },
    )
      .lean()
      .exec();
    return { doc: doc ?? current, handedOff: doc !== null };
  });
  const conversation = viewConversation(outcome.doc as StoredConversation);
  if (outcome.handedOff) await publishHandOff(core, workspaceId, conversation, reason);
  return { conversation, handedOff: outcome.handedOff };
}
