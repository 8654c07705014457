import type { Types } from 'mongoose';
import { z } from 'zod';
import {
  type ConversationDoc,
  type ConversationState,
  conversationStates,
  conversationStatuses,
  statusOfState,
} from './conversation-model';

/** A conversation as the API, socket events and the operator UI see it. */
export const conversationView = z
  .object({
    id: z.string(),
    contact: z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable() }),
    channel: z.object({ id: z.string(), type: z.string() }),
    state: z.enum(conversationStates),
    status: z.enum(conversationStatuses),
    assigneeId: z.string().nullable(),
    tags: z.array(z.string()),
    lastMessageAt: z.string(),
    lastMessage: z.object({
      direction: z.string().nullable(),
      kind: z.string().nullable(),
      text: z.string(),
    }),
    lastInboundAt: z.string().nullable(),
    unreadCount: z.number().int(),
    queuedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    handoff: z.object({ at: z.string(), reason: z.string() }).nullable().meta({
      description: 'When and why a bot flow handed the conversation to the operators (this episode)',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Conversation' });
export type ConversationView = z.output<typeof conversationView>;

export type StoredConversation = ConversationDoc & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

export function viewConversation(doc: StoredConversation): ConversationView {
  return {
    id: String(doc._id),
    contact: { id: String(doc.contactId), name: doc.contactName ?? null, phone: doc.contactPhone ?? null },
    channel: { id: String(doc.channelId), type: doc.channelType },
    state: doc.state as ConversationState,
    status: statusOfState(doc.state as ConversationState),
    assigneeId: doc.assigneeId ? String(doc.assigneeId) : null,
    tags: [...(doc.tags ?? [])],
    lastMessageAt: doc.lastMessageAt.toISOString(),
    lastMessage: {
      direction: doc.lastMessage?.direction ?? null,
      kind: doc.lastMessage?.kind ?? null,
      text: doc.lastMessage?.text ?? '',
    },
    lastInboundAt: iso(doc.lastInboundAt),
    unreadCount: doc.unreadCount ?? 0,
    queuedAt: iso(doc.queuedAt),
    resolvedAt: iso(doc.resolvedAt),
    handoff: doc.handoff ? { at: doc.handoff.at.toISOString(), reason: doc.handoff.reason } : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
