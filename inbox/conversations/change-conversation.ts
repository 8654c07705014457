import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import type { Actor } from './actor';
import { findConversation } from './conversation-access';
import { type ConversationView, type StoredConversation, viewConversation } from './conversation-view';
import { addThreadEntry } from './thread-entry';

/** What an action changes in a conversation, and the line the thread gets for it (if any). */
export interface ConversationChange {
  set: Record<string, unknown>;
  event?: string;
}

/**
 * Read-decide-write of one conversation under its lock (FerretDB v1 rewrites whole documents,
 * so unlocked writers lose each other's fields). `decide` sees the current document and returns
 * the change, or null for nothing to do (the action is then idempotent: no write, no event).
 * After the lock: the thread line is added (by `actor`; null for an action that never adds one,
 * which then spares the operator lookup) and `conversation.updated` published.
 */
export async function changeConversation(
  core: InboxCore,
  workspaceId: WorkspaceId,
  conversationId: string,
  actor: Actor | null,
  decide: (current: StoredConversation) => ConversationChange | null | Promise<ConversationChange | null>,
): Promise<ConversationView> {
  const outcome = await core.lock(conversationId, async () => {
    const current = await findConversation(core, workspaceId, conversationId);
    const change = await decide(current);
    if (!change) return { conversation: current, change: null };
    const updated = await core.models.Conversation.findOneAndUpdate(
      { _id: current._id, workspaceId },
      { $set: change.set },
      { returnDocument: 'after' },
    )
      .lean()
      .exec();
    return { conversation: (updated ?? current) as StoredConversation, change };
  });
  const view = viewConversation(outcome.conversation);
  if (!outcome.change) return view;
  if (outcome.change.event && actor) {
    await addThreadEntry(core, outcome.conversation, { kind: 'event', actor, text: outcome.change.event });
  }
  await core.events.publish(workspaceId, {
    type: 'conversation.updated',
    conversationId: view.id,
    data: view,
  });
  return view;
}
