import { z } from 'zod';
import type { AnyRoute } from '../../src/http/route-definition';
import { defineRoute } from '../../src/http/route-definition';
import { actionRoute } from '../actions/action-route';
import { conversationActions } from '../actions/conversation-actions';
import type { AnyInboxAction } from '../actions/inbox-action';
import { noteAction } from '../actions/note-action';
import { cannedRoutes } from '../canned/canned-routes';
import { exportRoutes } from '../export/conversation-export';
import type { InboxCore } from '../inbox-core';
import { messageView } from '../messages/message-view';
import { composerInfo, composerView } from '../replies/composer';
import { createReplySender, type ReplySenderOptions } from '../replies/reply-sender';
import { sendReplyAction } from '../replies/send-reply-action';
import { conversationReadRoutes } from './conversation-routes';
import { conversationView } from './conversation-view';

/**
 * What operators do to conversations, over HTTP and socket.io alike: every write is an
 * `InboxAction` (one zod schema, one `run`) and its route runs the same action.
 */
export interface OperatorApi {
  routes: AnyRoute[];
  actions: AnyInboxAction[];
  /** The reply sender and its sweeper (worker roles). */
  startWorker(): Promise<void>;
}

const replyErrors = [
  'inbox.reply_content_invalid',
  'inbox.reply_window_closed',
  'inbox.reply_template_unavailable',
  'inbox.channel_removed',
] as const;

export function createOperatorApi(core: InboxCore, options: ReplySenderOptions = {}): OperatorApi {
  const conversation = conversationActions(core);
  const note = noteAction(core);
  const send = sendReplyAction(core);
  const sender = createReplySender(core, options);
  const updated = (description: string) => ({ status: 200 as const, schema: conversationView, description });
  const actionRoutes = [
    actionRoute(send, {
      method: 'post',
      path: '/conversations/:id/messages',
      summary:
        'Reply to the customer (queued, then sent through the channel; ticks follow as message.updated)',
      response: { status: 202, schema: messageView, description: 'The reply, queued' },
      errors: replyErrors,
      idempotent: true,
    }),
    actionRoute(note, {
      method: 'post',
      path: '/conversations/:id/notes',
      summary: 'Add an internal note (operators only; never sent)',
      response: { status: 201, schema: messageView, description: 'The note' },
    }),
    actionRoute(conversation.assign, {
      method: 'post',
      path: '/conversations/:id/assign',
      summary: 'Assign, transfer (another operator) or unassign (null) a conversation',
      response: updated('The conversation'),
      errors: ['inbox.operator_unavailable'],
    }),
    actionRoute(conversation.resolve, {
      method: 'post',
      path: '/conversations/:id/resolve',
      summary: 'Resolve a conversation (a new customer message reopens it)',
      response: updated('The conversation'),
    }),
    actionRoute(conversation.reopen, {
      method: 'post',
      path: '/conversations/:id/reopen',
      summary: 'Reopen a resolved conversation (human when assigned, else queued)',
      response: updated('The conversation'),
    }),
    actionRoute(conversation.tags, {
      method: 'put',
      path: '/conversations/:id/tags',
      summary: 'Set the tags of a conversation (trimmed, lowercase, at most 20 of 40 characters)',
      response: updated('The conversation'),
    }),
    actionRoute(conversation.read, {
      method: 'post',
      path: '/conversations/:id/read',
      summary: 'Mark the conversation read (unread count 0)',
      response: updated('The conversation'),
    }),
  ];
  const composerRoute = defineRoute({
    method: 'get',
    path: '/conversations/:id/composer',
    summary: 'What can be sent in a conversation now: limits, reply window, templates',
    tag: 'inbox',
    access: ['inbox:read'],
    params: z.object({ id: z.string() }),
    response: { status: 200, schema: composerView, description: 'The composer' },
    errors: ['resource.not_found', 'inbox.channel_removed'],
    handle: ({ principal, params }) => composerInfo(core, principal.workspaceId, params.id),
  });
  return {
    // The export's fixed path comes before `/conversations/:id`, which would capture it.
    routes: [
      ...exportRoutes(core),
      ...conversationReadRoutes(core),
      composerRoute,
      ...actionRoutes,
      ...cannedRoutes(core),
    ],
    actions: [
      send,
      note,
      conversation.assign,
      conversation.resolve,
      conversation.reopen,
      conversation.tags,
      conversation.read,
    ],
    startWorker: () => sender.start(),
  };
}
