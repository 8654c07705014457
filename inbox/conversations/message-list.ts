import { isValidObjectId, Types, trusted } from 'mongoose';
import { z } from 'zod';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import { type MessageView, type StoredMessage, viewMessage } from '../messages/message-view';
import { findConversation } from './conversation-access';
import { decodeCursor, encodeCursor } from './opaque-cursor';

export const listMessagesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const cursorSchema = z.strictObject({ before: z.string().refine(isValidObjectId) });

/** A thread's messages, newest first, keyset-paginated on the message id. */
export async function listMessages(
  core: InboxCore,
  workspaceId: WorkspaceId,
  conversationId: string,
  query: z.output<typeof listMessagesQuery>,
): Promise<{ items: MessageView[]; nextCursor: string | null }> {
  const conversation = await findConversation(core, workspaceId, conversationId);
  const before = query.cursor ? decodeCursor(cursorSchema, query.cursor).before : null;
  const docs = (await core.models.InboxMessage.find({
    workspaceId,
    conversationId: conversation._id,
    ...(before ? { _id: trusted({ $lt: new Types.ObjectId(before) }) } : {}),
  })
    .sort({ _id: -1 })
    .limit(query.limit + 1)
    .lean()
    .exec()) as StoredMessage[];
  const page = docs.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(viewMessage),
    nextCursor: docs.length > query.limit && last ? encodeCursor({ before: String(last._id) }) : null,
  };
}
