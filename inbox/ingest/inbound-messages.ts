import type { InboundAttachment, NormalizedEvent } from '../../adapters/contract';
import type { KeptFile } from '../../src/channels/channel-event-worker';
import { isVerificationPayload } from '../../src/notifications/recipient-verification';
import type { BotAnswerer } from '../bot/bot-answerer';
import type { ActiveFlow } from '../bot/flow-registry-port';
import { resolveContact } from '../contacts/contact-resolver';
import type { ConversationState } from '../conversations/conversation-model';
import type { StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import { appendMessage, type ConversationChange, type NewMessage, previewOf } from './append-message';
import { botMayAnswer, initialConversationState, stateAfterCustomerMessage } from './conversation-state';
import { ensureConversation } from './conversation-upsert';
import { findReplyTo } from './reply-context';

type InboundMessage = Extract<NormalizedEvent, { type: 'inbound-message' }>;
type ButtonPress = Extract<NormalizedEvent, { type: 'button-press' }>;

/** A customer event to ingest, as the channel event worker hands it over. */
export interface CustomerEventInput {
  workspaceId: string;
  channelId: string;
  channelType: string;
  eventId: string;
  event: InboundMessage | ButtonPress;
  files: readonly KeptFile[];
}

/**
 * Ingests a customer's message or button press: contact (claimed identity), conversation (one per
 * channel chat), the message with its reply link, the conversation's preview, unread count and
 * state (a closed one reopens), then the events. Idempotent: the message's `dedupeKey`
 * (`in:<channelId>:<externalMessageId>`, button presses `in:<channelId>:btn:<eventKey>`) makes a
 * repeat, in this process or another, a no-op. Recipient-verification answers (`vrf:`) belong to
 * the notifications and are not stored.
 */
export async function ingestCustomerEvent(
  core: InboxCore,
  input: CustomerEventInput,
  bot: BotAnswerer | null = null,
): Promise<void> {
  const { event } = input;
  const payload = event.type === 'button-press' ? event.payload : event.buttonPayload;
  if (payload !== undefined && isVerificationPayload(payload)) return;
  const contact = await resolveContact(core, {
    workspaceId: input.workspaceId,
    channelId: input.channelId,
    channelType: input.channelType,
    externalUserId: event.from.externalUserId,
    name: event.from.name ?? null,
    phone: event.from.phone ?? null,
  });
  const conversation = await ensureConversation(
    core,
    {
      workspaceId: input.workspaceId,
      channelId: input.channelId,
      channelType: input.channelType,
      externalChatId: event.conversationId,
    },
    contact,
    await startState(bot, input),
  );
  const replyTo = await findReplyTo(core, {
    workspaceId: input.workspaceId,
    channelId: input.channelId,
    conversationId: conversation._id,
    contactId: conversation.contactId,
    replyToExternalId: event.type === 'button-press' ? event.externalMessageId : event.replyToExternalId,
    payload,
    at: new Date(),
  });
  const message: NewMessage = {
    ...(event.type === 'button-press' ? buttonFields(input, event) : textFields(input, event)),
    direction: 'inbound',
    author: { type: 'contact', operatorId: null, name: contact.name ?? null },
    status: 'received',
    statusTimes: { sent: null, delivered: null, read: null, failed: null },
    failureReason: null,
    source: null,
    replyTo,
    channelEventId: input.eventId,
  };
  const flow = await botFlowFor(bot, conversation, replyTo);
  const appended = await appendMessage(
    core,
    conversation,
    message,
    customerMessageChange(contact, flow !== null),
  );
  if (bot && flow && appended?.conversation.state === 'bot') await bot.answer(appended, flow);
}

/** A conversation a customer opens starts with the bot when a flow serves the channel, else queued. */
async function startState(bot: BotAnswerer | null, input: CustomerEventInput): Promise<ConversationState> {
  const served =
    bot && (await bot.servesChannel(input.workspaceId, { id: input.channelId, type: input.channelType }));
  return served ? 'bot' : initialConversationState('customer-message');
}

/** The flow that answers this message, looked up only where the bot may own the conversation after it. */
async function botFlowFor(
  bot: BotAnswerer | null,
  conversation: StoredConversation,
  replyTo: NewMessage['replyTo'],
): Promise<ActiveFlow | null> {
  if (!bot || !botMayAnswer(conversation.state as ConversationState, !conversation.lastMessage?.direction))
    return null;
  return bot.flowFor(conversation, replyTo?.kind === 'notification' ? replyTo.name : null);
}

function textFields(input: CustomerEventInput, event: InboundMessage) {
  return {
    kind: 'text' as const,
    text: event.text,
    attachments: event.attachments.map((attachment, index) => attachmentOf(attachment, index, input.files)),
    dedupeKey: `in:${input.channelId}:${event.externalMessageId}`,
    externalMessageId: event.externalMessageId,
    payload: event.buttonPayload ?? null,
  };
}

function buttonFields(input: CustomerEventInput, event: ButtonPress) {
  return {
    kind: 'button' as const,
    text: event.payload,
    attachments: [],
    dedupeKey: `in:${input.channelId}:btn:${event.eventKey}`,
    externalMessageId: null,
    payload: event.payload,
  };
}

/** An attachment as the thread shows it: the kept GridFS file, or the structured item. */
function attachmentOf(attachment: InboundAttachment, index: number, files: readonly KeptFile[]) {
  if (attachment.kind === 'location') {
    const { latitude, longitude, title } = attachment;
    return {
      kind: 'location',
      fileId: null,
      fileName: null,
      mimeType: null,
      size: null,
      details: { latitude, longitude, title: title ?? null },
    };
  }
  if (attachment.kind === 'contact') {
    const details = { name: attachment.name, phone: attachment.phone ?? null };
    return { kind: 'contact', fileId: null, fileName: null, mimeType: null, size: null, details };
  }
  const kept = files.find((file) => file.index === index);
  return {
    kind: attachment.kind,
    fileId: kept?.fileId ?? null,
    fileName: attachment.fileName ?? null,
    mimeType: kept?.mimeType || attachment.mimeType || null,
    size: kept?.size || attachment.size || null,
    details: kept?.error ? { error: kept.error } : kept ? null : { error: 'not-downloaded' },
  };
}

/**
 * A customer's message: preview, unread, the WhatsApp window's start, contact copies, and the
 * state (see `stateAfterCustomerMessage`): entering `bot` starts a fresh bot session, entering
 * `queued` starts the wait.
 */
function customerMessageChange(
  contact: { name?: string | null; phone?: string | null },
  botServes: boolean,
): ConversationChange {
  return (conversation, message) => {
    const state = conversation.state as ConversationState;
    const next = stateAfterCustomerMessage(state, !conversation.lastMessage?.direction, botServes);
    const moved = next !== state;
    return {
      lastMessageAt: message.createdAt,
      lastMessage: previewOf(message),
      lastInboundAt: message.createdAt,
      unreadCount: (conversation.unreadCount ?? 0) + 1,
      contactName: contact.name ?? conversation.contactName ?? null,
      contactPhone: contact.phone ?? conversation.contactPhone ?? null,
      ...(moved
        ? {
            state: next,
            queuedAt: next === 'queued' ? message.createdAt : null,
            resolvedAt: null,
            assigneeId: null,
            ...(state === 'closed' || next !== 'bot' ? { bot: null } : {}),
            ...(state === 'closed' || next === 'bot' ? { handoff: null } : {}),
          }
        : {}),
    };
  };
}
