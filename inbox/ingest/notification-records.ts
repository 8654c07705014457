import type { Recipient } from '../../adapters/contract';
import type { AttemptMove } from '../../src/notifications/notification-context';
import { resolveContact } from '../contacts/contact-resolver';
import type { InboxCore } from '../inbox-core';
import { appendMessage, type NewMessage, previewOf } from './append-message';
import { initialConversationState } from './conversation-state';
import { ensureConversation } from './conversation-upsert';
import { advanceMessageStatus, type ReportedStatus } from './message-status';

const reached: readonly string[] = ['sent', 'delivered', 'read'];
const recorded: readonly string[] = [...reached, 'undelivered', 'expired'];

/** Where a recipient lives on a channel: the chat replies come from, and the identity to claim. */
interface Address {
  externalChatId: string;
  /** The id inbound events of this channel give the person (null: the channel has no inbound users). */
  externalUserId: string | null;
  phone: string | null;
}

/**
 * A recipient as the channel's inbound events will name them. Chat users are their own chat;
 * WhatsApp's wa_id is the phone in digits and SMS senders are `+<digits>`; the notification
 * gateways and e-mail receive no replies, so their chat is the phone or address alone.
 */
export function addressOf(channelType: string, recipient: Recipient): Address {
  if (recipient.kind === 'user')
    return {
      externalChatId: recipient.externalUserId,
      externalUserId: recipient.externalUserId,
      phone: null,
    };
  if (recipient.kind === 'email')
    return { externalChatId: recipient.address.toLowerCase(), externalUserId: null, phone: null };
  const { phone } = recipient;
  if (channelType === 'whatsapp') {
    const waId = phone.replace(/^\+/, '');
    return { externalChatId: waId, externalUserId: waId, phone };
  }
  if (channelType === 'sms') return { externalChatId: phone, externalUserId: phone, phone };
  return { externalChatId: phone, externalUserId: null, phone };
}

/**
 * The notifications' attempt sink: an attempt the platform accepted is recorded in the recipient's
 * conversation as a system message (kind `notification`, the template name, the exact text sent,
 * dedupeKey `ntf:<attemptId>`), creating the contact and a `closed` conversation when needed; later
 * moves (delivered, read, undelivered, expired) move that message's status. Attempts never sent
 * (skipped, refused before the send) are not recorded.
 */
export async function recordAttemptMove(core: InboxCore, move: AttemptMove): Promise<void> {
  if (!recorded.includes(move.status)) return;
  // `sent` is an attempt's first move, so there is no record to look up yet (and appendMessage's
  // dedupeKey claim makes one a later move stored first a no-op).
  if (move.status === 'sent') {
    if (move.recipient) await recordSent(core, move, move.recipient);
    return;
  }
  let existing = await findRecord(core, move);
  if (!existing && reached.includes(move.status) && move.recipient) {
    await recordSent(core, move, move.recipient);
    // Records of one attempt are not serialized: a concurrent `sent` may have won the claim, and
    // this later status must still reach it (forward-only, so a no-op when recordSent stored it).
    existing = await findRecord(core, move);
  }
  if (!existing) return;
  await advanceMessageStatus(core, String(existing._id), String(existing.conversationId), {
    status: move.status as ReportedStatus,
    at: move.at,
    reason: move.reason,
  });
}

function findRecord(core: InboxCore, move: AttemptMove) {
  return core.models.InboxMessage.findOne({
    workspaceId: move.workspaceId,
    dedupeKey: `ntf:${move.attemptId}`,
  })
    .select({ _id: 1, conversationId: 1 })
    .lean()
    .exec();
}

async function recordSent(core: InboxCore, move: AttemptMove, recipient: Recipient): Promise<void> {
  const { notification } = move;
  if (!notification) return;
  const address = addressOf(move.channelType, recipient);
  const contact = await resolveContact(core, {
    workspaceId: move.workspaceId,
    channelId: move.channelId,
    channelType: move.channelType,
    externalUserId: address.externalUserId,
    phone: address.phone ?? notification.phone,
    knownContactId: notification.contactId,
  });
  const conversation = await ensureConversation(
    core,
    {
      workspaceId: move.workspaceId,
      channelId: move.channelId,
      channelType: move.channelType,
      externalChatId: address.externalChatId,
    },
    contact,
    initialConversationState('notification'),
  );
  await appendMessage(
    core,
    conversation,
    notificationMessage(move, notification.templateName ?? 'notification'),
    (_conversation, message) => ({
      lastMessageAt: message.createdAt,
      lastMessage: previewOf(message),
    }),
  );
}

function notificationMessage(move: AttemptMove, templateName: string): NewMessage {
  const delivered = move.status === 'delivered' || move.status === 'read';
  return {
    direction: 'outbound',
    kind: 'notification',
    author: { type: 'system', operatorId: null, name: null },
    text: move.text ?? '',
    attachments: [],
    dedupeKey: `ntf:${move.attemptId}`,
    externalMessageId: move.externalMessageId,
    status: move.status as ReportedStatus,
    statusTimes: {
      sent: move.at,
      delivered: delivered ? move.at : null,
      read: move.status === 'read' ? move.at : null,
      failed: null,
    },
    failureReason: null,
    source: { kind: 'notification', id: move.notificationId, name: templateName, attemptId: move.attemptId },
    replyTo: null,
    channelEventId: null,
    payload: null,
  };
}
