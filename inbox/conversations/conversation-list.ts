import { isValidObjectId, Types, trusted } from 'mongoose';
import { z } from 'zod';
import { isChannelKind } from '../../adapters/contract';
import type { Principal } from '../../src/auth/principal';
import { AppError } from '../../src/errors/app-error';
import { validationFailed } from '../../src/http/validation';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import { searchFilter } from '../search/search-text';
import { conversationStatuses, statesOfStatus } from './conversation-model';
import { type ConversationView, type StoredConversation, viewConversation } from './conversation-view';
import { decodeCursor, encodeCursor } from './opaque-cursor';

export const listConversationsQuery = z.object({
  status: z.enum(conversationStatuses).optional(),
  assignee: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: '`me` (operators only), `unassigned`, or an operator id' }),
  channel: z.string().min(1).max(64).optional().meta({ description: 'A channel id or a channel type' }),
  tag: z.string().trim().toLowerCase().min(1).max(40).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Contact name, phone or message text contains this (case-insensitive, literal)' }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type ListConversationsQuery = z.output<typeof listConversationsQuery>;

const cursorSchema = z.strictObject({ at: z.iso.datetime(), id: z.string().refine(isValidObjectId) });

/** Conversations of a workspace matching the filters, newest activity first, keyset-paginated. */
export async function listConversations(
  core: InboxCore,
  principal: Principal,
  query: ListConversationsQuery,
): Promise<{ items: ConversationView[]; nextCursor: string | null; unread: { total: number } }> {
  const { workspaceId } = principal;
  const clauses: Record<string, unknown>[] = [
    { workspaceId },
    ...filterClauses(principal, query),
    ...(query.q ? [await searchFilter(core, workspaceId, query.q)] : []),
    ...(query.cursor ? [afterCursor(query.cursor)] : []),
  ];
  const docs = (await core.models.Conversation.find({ $and: clauses })
    .sort({ lastMessageAt: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean()
    .exec()) as StoredConversation[];
  const page = docs.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    docs.length > query.limit && last
      ? encodeCursor({ at: last.lastMessageAt.toISOString(), id: String(last._id) })
      : null;
  return {
    items: page.map(viewConversation),
    nextCursor,
    unread: { total: await unreadTotal(core, workspaceId) },
  };
}

function filterClauses(principal: Principal, query: ListConversationsQuery): Record<string, unknown>[] {
  const clauses: Record<string, unknown>[] = [];
  if (query.status) clauses.push({ state: trusted({ $in: [...statesOfStatus[query.status]] }) });
  if (query.assignee) clauses.push({ assigneeId: assigneeOf(principal, query.assignee) });
  if (query.channel) clauses.push(channelClause(query.channel));
  if (query.tag) clauses.push({ tags: query.tag });
  return clauses;
}

function assigneeOf(principal: Principal, assignee: string): Types.ObjectId | null {
  if (assignee === 'unassigned') return null;
  if (assignee === 'me') {
    if (principal.kind !== 'operator') {
      throw new AppError(
        'inbox.operator_required',
        'assignee=me needs an operator session; name the operator id.',
      );
    }
    return new Types.ObjectId(principal.operatorId);
  }
  if (!isValidObjectId(assignee)) {
    throw validationFailed([{ path: 'query.assignee', message: 'me, unassigned or an operator id' }]);
  }
  return new Types.ObjectId(assignee);
}

/** A channel filter by type (`whatsapp`) or by id. */
export function channelClause(channel: string): Record<string, unknown> {
  if (isChannelKind(channel)) return { channelType: channel };
  if (!isValidObjectId(channel)) {
    throw validationFailed([{ path: 'query.channel', message: 'a channel id or a channel type' }]);
  }
  return { channelId: new Types.ObjectId(channel) };
}

function afterCursor(cursor: string): Record<string, unknown> {
  const { at, id } = decodeCursor(cursorSchema, cursor);
  const date = new Date(at);
  return {
    $or: [
      { lastMessageAt: trusted({ $lt: date }) },
      { lastMessageAt: date, _id: trusted({ $lt: new Types.ObjectId(id) }) },
    ],
  };
}

/** Customer messages nobody read yet, over the workspace's open conversations. */
async function unreadTotal(core: InboxCore, workspaceId: WorkspaceId): Promise<number> {
  const [row] = await core.models.Conversation.aggregate<{ total: number }>([
    { $match: { workspaceId: new Types.ObjectId(workspaceId), state: { $in: [...statesOfStatus.open] } } },
    { $group: { _id: null, total: { $sum: '$unreadCount' } } },
  ]).exec();
  return row?.total ?? 0;
}
