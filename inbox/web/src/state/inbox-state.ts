import type { ConversationFilter } from '../api/inbox-api';
import type {
  ConversationView,
  InboxEnvelope,
  InboxOperator,
  MessageStatus,
  MessageView,
} from '../api/types';

export interface ThreadState {
  /** Oldest first. */
  messages: MessageView[];
  olderCursor: string | null;
  loaded: boolean;
}

export interface InboxState {
  conversations: Record<string, ConversationView>;
  /** Ids the server listed for the current filter (live additions are matched client-side). */
  listed: string[];
  nextCursor: string | null;
  listLoading: boolean;
  unreadTotal: number;
  threads: Record<string, ThreadState>;
  operators: Record<string, InboxOperator>;
  typing: Record<string, { operatorId: string; name: string; until: number }>;
}

export const initialInboxState: InboxState = {
  conversations: {},
  listed: [],
  nextCursor: null,
  listLoading: true,
  unreadTotal: 0,
  threads: {},
  operators: {},
  typing: {},
};

export type InboxAction =
  | { type: 'list.loading' }
  | {
      type: 'list.loaded';
      items: ConversationView[];
      nextCursor: string | null;
      unread: number;
      append: boolean;
    }
  | { type: 'list.failed' }
  | { type: 'conversation.upsert'; conversation: ConversationView }
  | {
      type: 'thread.loaded';
      conversationId: string;
      items: MessageView[];
      nextCursor: string | null;
      older: boolean;
    }
  | { type: 'message.upsert'; message: MessageView }
  | { type: 'operators.loaded'; operators: InboxOperator[] }
  | { type: 'event'; event: InboxEnvelope }
  | { type: 'typing'; conversationId: string; operatorId: string; name: string; until: number }
  | { type: 'typing.expire'; now: number };

const statusRank: Record<MessageStatus, number> = {
  received: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  failed: 6,
  undelivered: 6,
  expired: 6,
};

/** Delivery only moves forward; a late `sent` must not undo a `delivered` already shown. */
function mergeMessage(old: MessageView | undefined, next: MessageView): MessageView {
  if (!old) return next;
  const keepStatus = statusRank[old.status] > statusRank[next.status];
  return {
    ...next,
    status: keepStatus ? old.status : next.status,
    failureReason: keepStatus ? old.failureReason : next.failureReason,
    statusTimes: {
      sent: next.statusTimes.sent ?? old.statusTimes.sent,
      delivered: next.statusTimes.delivered ?? old.statusTimes.delivered,
      read: next.statusTimes.read ?? old.statusTimes.read,
      failed: next.statusTimes.failed ?? old.statusTimes.failed,
    },
  };
}

function upsertConversation(state: InboxState, conversation: ConversationView): InboxState {
  const old = state.conversations[conversation.id];
  if (old && old.updatedAt > conversation.updatedAt) return state;
  return {
    ...state,
    conversations: { ...state.conversations, [conversation.id]: conversation },
    unreadTotal: Math.max(0, state.unreadTotal + conversation.unreadCount - (old?.unreadCount ?? 0)),
  };
}

function upsertMessage(state: InboxState, message: MessageView): InboxState {
  const thread = state.threads[message.conversationId];
  if (!thread) return state;
  const index = thread.messages.findIndex((item) => item.id === message.id);
  const messages = [...thread.messages];
  if (index >= 0) messages[index] = mergeMessage(messages[index], message);
  else {
    messages.push(message);
    messages.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }
  const typing = { ...state.typing };
  if (message.author.operatorId && typing[message.conversationId]?.operatorId === message.author.operatorId)
    delete typing[message.conversationId];
  return {
    ...state,
    typing,
    threads: { ...state.threads, [message.conversationId]: { ...thread, messages } },
  };
}

function applyEvent(state: InboxState, event: InboxEnvelope): InboxState {
  switch (event.type) {
    case 'conversation.created':
    case 'conversation.updated':
    case 'conversation.handoff':
      return upsertConversation(state, event.data);
    case 'message.created':
    case 'message.updated':
      return upsertMessage(state, event.data);
    case 'operator.presence': {
      const old = state.operators[event.data.operatorId];
      if (!old) return state;
      return { ...state, operators: { ...state.operators, [old.id]: { ...old, ...event.data, id: old.id } } };
    }
    default:
      return state;
  }
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'list.loading':
      return { ...state, listLoading: true };
    case 'list.failed':
      return { ...state, listLoading: false };
    case 'list.loaded': {
      const conversations = { ...state.conversations };
      for (const item of action.items) {
        const old = conversations[item.id];
        if (!old || old.updatedAt <= item.updatedAt) conversations[item.id] = item;
      }
      const ids = action.items.map((item) => item.id);
      return {
        ...state,
        conversations,
        listed: action.append ? [...new Set([...state.listed, ...ids])] : ids,
        nextCursor: action.nextCursor,
        listLoading: false,
        unreadTotal: action.unread,
      };
    }
    case 'conversation.upsert':
      return upsertConversation(state, action.conversation);
    case 'thread.loaded': {
      const old = state.threads[action.conversationId];
      const fetched = [...action.items].reverse();
      const known = new Map((action.older && old ? old.messages : []).map((m) => [m.id, m]));
      // Live messages that arrived while the page was loading are kept (merged by id).
      for (const message of old?.messages ?? []) known.set(message.id, message);
      for (const message of fetched) known.set(message.id, mergeMessage(known.get(message.id), message));
      const messages = [...known.values()].sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
      );
      const olderCursor = action.older || !old?.loaded ? action.nextCursor : old.olderCursor;
      return {
        ...state,
        threads: { ...state.threads, [action.conversationId]: { messages, olderCursor, loaded: true } },
      };
    }
    case 'message.upsert':
      return upsertMessage(state, action.message);
    case 'operators.loaded':
      return { ...state, operators: Object.fromEntries(action.operators.map((op) => [op.id, op])) };
    case 'event':
      return applyEvent(state, action.event);
    case 'typing':
      return {
        ...state,
        typing: {
          ...state.typing,
          [action.conversationId]: { operatorId: action.operatorId, name: action.name, until: action.until },
        },
      };
    case 'typing.expire': {
      const live = Object.entries(state.typing).filter(([, entry]) => entry.until > action.now);
      if (live.length === Object.keys(state.typing).length) return state;
      return { ...state, typing: Object.fromEntries(live) };
    }
    default:
      return state;
  }
}

/** Whether a conversation belongs in the list the operator filtered (live events are placed by this). */
export function matchesFilter(
  conversation: ConversationView,
  filter: ConversationFilter,
  me: string,
): boolean {
  if (conversation.status !== filter.status) return false;
  if (filter.assignee === 'me' && conversation.assigneeId !== me) return false;
  if (filter.assignee === 'unassigned' && conversation.assigneeId !== null) return false;
  if (!['all', 'me', 'unassigned'].includes(filter.assignee) && conversation.assigneeId !== filter.assignee)
    return false;
  if (
    filter.channel &&
    conversation.channel.id !== filter.channel &&
    conversation.channel.type !== filter.channel
  )
    return false;
  if (filter.tag && !conversation.tags.includes(filter.tag)) return false;
  const q = filter.q.trim().toLowerCase();
  if (q) {
    const haystack = [conversation.contact.name, conversation.contact.phone, conversation.lastMessage.text]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    if (!haystack.includes(q)) return false;
  }
  return true;
}

/** The list as shown: what the server listed plus live arrivals that match, newest activity first. */
export function visibleConversations(
  state: InboxState,
  filter: ConversationFilter,
  me: string,
): ConversationView[] {
  const listed = new Set(state.listed);
  return Object.values(state.conversations)
    .filter((conversation) => {
      if (!matchesFilter(conversation, filter, me)) return false;
      // With a search, only what the server found (it also searches message texts).
      return !filter.q.trim() || listed.has(conversation.id);
    })
    .sort((a, b) => (a.lastMessageAt < b.lastMessageAt ? 1 : a.lastMessageAt > b.lastMessageAt ? -1 : 0));
}
