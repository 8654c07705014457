import { isValidObjectId } from 'mongoose';
import { AppError } from '../../src/errors/app-error';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import type { StoredConversation } from './conversation-view';

/**
 * A conversation of the workspace, or `resource.not_found`: a malformed id, a missing one and
 * another workspace's one answer the same, so no id can be probed (BOLA-safe).
 */
export async function findConversation(
  core: Pick<InboxCore, 'models'>,
  workspaceId: WorkspaceId,
  conversationId: string,
): Promise<StoredConversation> {
  const doc = isValidObjectId(conversationId)
    ? await core.models.Conversation.findOne({ _id: conversationId, workspaceId }).lean().exec()
    : null;
  if (!doc) throw new AppError('resource.not_found', 'No such conversation in this workspace.');
  return doc as StoredConversation;
}
