import { z } from 'zod';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import type { InboxCore } from '../inbox-core';
import { messageView } from '../messages/message-view';
import { findConversation } from './conversation-access';
import { listConversations, listConversationsQuery } from './conversation-list';
import { conversationView, viewConversation } from './conversation-view';
import { listMessages, listMessagesQuery } from './message-list';

const idParams = z.object({ id: z.string() });

const conversationPage = z
  .object({
    items: z.array(conversationView),
    nextCursor: z.string().nullable(),
    unread: z.object({ total: z.number().int() }),
  })
  .meta({ id: 'ConversationPage' });

const messagePage = z
  .object({ items: z.array(messageView), nextCursor: z.string().nullable() })
  .meta({ id: 'InboxMessagePage' });

/** Reading the inbox: the conversation list with its filters, one conversation, its thread. */
export function conversationReadRoutes(core: InboxCore): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/conversations',
      summary: 'Conversations by last activity, filtered by status, assignee, channel, tag and search text',
      tag: 'inbox',
      access: ['inbox:read'],
      query: listConversationsQuery,
      response: { status: 200, schema: conversationPage, description: 'A page of conversations' },
      errors: ['inbox.operator_required'],
      handle: ({ principal, query }) => listConversations(core, principal, query),
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id',
      summary: 'A conversation',
      tag: 'inbox',
      access: ['inbox:read'],
      params: idParams,
      response: { status: 200, schema: conversationView, description: 'The conversation' },
      errors: ['resource.not_found'],
      handle: async ({ principal, params }) =>
        viewConversation(await findConversation(core, principal.workspaceId, params.id)),
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/messages',
      summary: 'The thread of a conversation, newest first',
      tag: 'inbox',
      access: ['inbox:read'],
      params: idParams,
      query: listMessagesQuery,
      response: { status: 200, schema: messagePage, description: 'A page of messages' },
      errors: ['resource.not_found'],
      handle: ({ principal, params, query }) => listMessages(core, principal.workspaceId, params.id, query),
    }),
  ];
}
