/**
 * The shapes the operator API answers with (see inbox/conversations/conversation-view.ts and
 * inbox/messages/message-view.ts on the server). Kept here as plain types so the browser bundle
 * carries none of the server's code.
 */
export type ConversationStatus = 'open' | 'pending' | 'resolved';
export type ConversationState = 'bot' | 'queued' | 'human' | 'closed';

export interface ConversationView {
  id: string;
  contact: { id: string; name: string | null; phone: string | null };
  channel: { id: string; type: string };
  state: ConversationState;
  status: ConversationStatus;
  assigneeId: string | null;
  tags: string[];
  lastMessageAt: string;
  lastMessage: { direction: string | null; kind: string | null; text: string };
  lastInboundAt: string | null;
  unreadCount: number;
  queuedAt: string | null;
  /** When and why a bot handed the conversation over (this episode). */
  handoff?: { at: string; reason: string } | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type MessageDirection = 'inbound' | 'outbound' | 'internal';
export type MessageKind = 'text' | 'button' | 'notification' | 'mailing' | 'note' | 'event';
export type MessageStatus =
  | 'received'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'undelivered'
  | 'expired';

export interface AttachmentView {
  kind: string;
  url: string | null;
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
}

export interface MessageView {
  id: string;
  conversationId: string;
  direction: MessageDirection;
  kind: MessageKind;
  author: { type: 'contact' | 'operator' | 'bot' | 'system'; operatorId: string | null; name: string | null };
  text: string;
  attachments: AttachmentView[];
  status: MessageStatus;
  statusTimes: { sent: string | null; delivered: string | null; read: string | null; failed: string | null };
  failureReason: string | null;
  source: { kind: 'notification' | 'mailing'; id: string; name: string } | null;
  replyTo: {
    messageId: string;
    inferred: boolean;
    via: string;
    kind: string;
    name: string | null;
    text: string;
  } | null;
  /** The buttons sent with an outbound message (the bot's), as sent. */
  buttons: MessageButtonView[];
  createdAt: string;
}

export interface MessageButtonView {
  kind: 'reply' | 'callback' | 'link';
  label: string;
  payload: string | null;
  url: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ConversationPage extends Page<ConversationView> {
  unread: { total: number };
}

export interface ComposerTemplate {
  id: string;
  name: string;
  text: string;
  placeholders: string[];
}

export interface ComposerInfo {
  channelType: string;
  maxTextLength: number;
  maxTextBytes: number | null;
  buttons: unknown;
  freeTextAllowed: boolean;
  windowClosesAt: string | null;
  reason: string | null;
  templates: ComposerTemplate[];
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  text: string;
}

export interface InboxOperator {
  id: string;
  name: string;
  email: string;
  role: string;
  online: boolean;
  load: number;
  maxConversations: number;
}

export interface ChannelSummary {
  id: string;
  type: string;
  name: string;
}

export interface TemplateView {
  id: string;
  name: string;
  version: number;
  status: 'draft' | 'pending' | 'approved' | 'rejected';
  body: string;
  advertisingTail: string | null;
  category: string;
  channels: string[];
  placeholders: string[];
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Me {
  workspace: { id: string; name: string; demo: boolean };
  operatorId: string;
  role: 'admin' | 'moderator' | 'operator';
  scopes: string[];
}

/** A socket envelope (inbox/realtime/inbox-events.ts). */
export type InboxEnvelope =
  | EnvelopeOf<'conversation.created' | 'conversation.updated', ConversationView>
  /** A bot handed the conversation to the operators (`reason`: keyword, button, misses, flow-error). */
  | EnvelopeOf<'conversation.handoff', ConversationView & { reason?: string }>
  | EnvelopeOf<'message.created' | 'message.updated', MessageView>
  | EnvelopeOf<
      'operator.presence',
      { operatorId: string; online: boolean; load: number; maxConversations: number }
    >;

interface EnvelopeOf<T extends string, D> {
  seq: number;
  type: T;
  conversationId: string | null;
  operatorId: string | null;
  data: D;
  at: string;
}

export interface TypingEvent {
  conversationId: string;
  operatorId: string;
  name: string;
  seq: number;
}
