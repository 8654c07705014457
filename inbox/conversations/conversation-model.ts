import { type InferSchemaType, Schema } from 'mongoose';

/**
 * Who owns a conversation. `bot`: bot flows answer (never while a human owns it); `queued`:
 * waiting for an operator; `human`: an operator owns it; `closed`: resolved (a new customer
 * message reopens it).
 */
export const conversationStates = ['bot', 'queued', 'human', 'closed'] as const;
export type ConversationState = (typeof conversationStates)[number];

/**
 * The inbox's coarse filter, derived from `state`: `pending` = the bot handles it, `open` = it
 * waits for or is with a human, `resolved` = closed.
 */
export const conversationStatuses = ['open', 'pending', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export const statesOfStatus: Record<ConversationStatus, readonly ConversationState[]> = {
  open: ['queued', 'human'],
  pending: ['bot'],
  resolved: ['closed'],
};

export function statusOfState(state: ConversationState): ConversationStatus {
  if (state === 'bot') return 'pending';
  if (state === 'closed') return 'resolved';
  return 'open';
}

/**
 * One conversation per contact per channel chat: unique on (workspace, channel, chat id). A
 * resolved conversation is reopened by the next customer message rather than replaced, so the
 * whole history with that person on that channel is one thread.
 */
export const conversationSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    channelType: { type: String, required: true },
    /** Where replies go: the platform's chat / peer id (VK peer, Telegram chat, wa_id…, or a phone for SMS). */
    externalChatId: { type: String, required: true },
    state: { type: String, enum: conversationStates, required: true },
    assigneeId: { type: Schema.Types.ObjectId, default: null },
    tags: { type: [String], default: [] },
    /** Contact's display name and phone, copied here so the list and search need no join. */
    contactName: { type: String, default: null },
    contactPhone: { type: String, default: null },
    lastMessageAt: { type: Date, required: true },
    /** Preview of the last message (≤ 200 characters) for the list. */
    lastMessage: {
      _id: false,
      direction: { type: String, default: null },
      kind: { type: String, default: null },
      text: { type: String, default: '' },
    },
    /** Last customer message (WhatsApp's 24-hour customer-service window starts here). */
    lastInboundAt: { type: Date, default: null },
    /** Customer messages since an operator last read the thread. */
    unreadCount: { type: Number, default: 0 },
    /** When it entered `queued` (auto-assignment takes the oldest first). */
    queuedAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    /** The bot's last hand-off of this episode (cleared when the conversation returns to the bot or reopens). */
    handoff: {
      type: new Schema(
        { at: { type: Date, required: true }, reason: { type: String, required: true } },
        { _id: false },
      ),
      default: null,
    },
    /**
     * The bot's part while the conversation is in state `bot`: the flow answering it (name and
     * version) and what the flow keeps between turns (`BotSession`: state, misses, offered
     * options). Cleared on hand-off and when the conversation reopens.
     */
    bot: {
      type: new Schema(
        {
          flow: { type: String, required: true },
          version: { type: Number, required: true },
          /**
           * The `BotSession` as JSON text: flows may keep keys MongoDB refuses as field names
           * (`$`-prefixed ones are the blocks' own, dots are the author's business).
           */
          session: { type: String, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true, strict: 'throw', minimize: false, collection: 'conversations' },
);
conversationSchema.index({ workspaceId: 1, channelId: 1, externalChatId: 1 }, { unique: true });
conversationSchema.index({ workspaceId: 1, lastMessageAt: -1 });
conversationSchema.index({ workspaceId: 1, state: 1, queuedAt: 1 });
conversationSchema.index({ workspaceId: 1, contactId: 1 });

export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
