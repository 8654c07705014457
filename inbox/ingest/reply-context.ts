import { Types, trusted } from 'mongoose';
import type { InboxCore } from '../inbox-core';
import type { MessageKind } from '../messages/message-model';
import type { StoredMessage } from '../messages/message-view';

/** How far back an unreferenced reply is linked to the latest notification or mailing. */
export const replyInferenceWindowMs = 7 * 24 * 60 * 60 * 1000;

/** The link an inbound message stores: the outbound message it answers, with what the operator sees. */
export interface ReplyLink {
  messageId: Types.ObjectId;
  inferred: boolean;
  via: 'platform-reply' | 'button-payload' | 'recent';
  kind: string;
  name: string | null;
  text: string;
}

export interface ReplySubject {
  workspaceId: string;
  channelId: string;
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  /** Platform id of the message replied to (Telegram reply_to, WhatsApp context.id, VK reply) or carrying the pressed button. */
  replyToExternalId?: string | undefined;
  /** A button payload (pressed, or of a reply keyboard), which may carry our ids. */
  payload?: string | undefined;
  at: Date;
}

const systemKinds: MessageKind[] = ['notification', 'mailing'];

/**
 * What an inbound message answers, best evidence first: the platform's own reference to one of
 * our messages on this channel; a button payload carrying the id of our message, notification or
 * attempt; otherwise (inferred) the latest notification / mailing in this conversation within 7
 * days, then the same contact's latest on another channel (a gateway notification answered in VK
 * community messages). Null when nothing qualifies.
 */
export async function findReplyTo(core: InboxCore, subject: ReplySubject): Promise<ReplyLink | null> {
  const referenced = subject.replyToExternalId ? await byPlatformReference(core, subject) : null;
  if (referenced) return link(referenced, 'platform-reply');
  const carried = subject.payload ? await byPayload(core, subject) : null;
  if (carried) return link(carried, 'button-payload');
  const recent = await latestSystemMessage(core, subject);
  return recent ? link(recent, 'recent') : null;
}

function link(message: StoredMessage, via: ReplyLink['via']): ReplyLink {
  return {
    messageId: message._id,
    inferred: via === 'recent',
    via,
    kind: message.kind,
    name: message.source?.name ?? null,
    text: message.text ?? '',
  };
}

async function byPlatformReference(core: InboxCore, subject: ReplySubject): Promise<StoredMessage | null> {
  return (await core.models.InboxMessage.findOne({
    workspaceId: subject.workspaceId,
    channelId: subject.channelId,
    externalMessageId: subject.replyToExternalId,
  })
    .lean()
    .exec()) as StoredMessage | null;
}

/** Our ids (24 hex digits) inside a payload, e.g. `order:<notificationId>:yes`; at most three. */
function idsIn(payload: string): string[] {
  return [...new Set(payload.toLowerCase().match(/[0-9a-f]{24}/g) ?? [])].slice(0, 3);
}

async function byPayload(core: InboxCore, subject: ReplySubject): Promise<StoredMessage | null> {
  const ids = idsIn(subject.payload ?? '');
  if (ids.length === 0) return null;
  return (await core.models.InboxMessage.findOne({
    workspaceId: subject.workspaceId,
    contactId: subject.contactId,
    direction: 'outbound',
    $or: ids.flatMap((id) => [
      { _id: new Types.ObjectId(id) },
      { 'source.id': id },
      { 'source.attemptId': id },
    ]),
  })
    .sort({ createdAt: -1 })
    .lean()
    .exec()) as StoredMessage | null;
}

/** The latest in this conversation, else the contact's latest anywhere: one query for both. */
async function latestSystemMessage(core: InboxCore, subject: ReplySubject): Promise<StoredMessage | null> {
  const since = new Date(subject.at.getTime() - replyInferenceWindowMs);
  const recent = (await core.models.InboxMessage.find({
    workspaceId: subject.workspaceId,
    $or: [{ conversationId: subject.conversationId }, { contactId: subject.contactId }],
    kind: trusted({ $in: systemKinds }),
    createdAt: trusted({ $gte: since }),
  })
    .select({ conversationId: 1, kind: 1, source: 1, text: 1, createdAt: 1 })
    .sort({ createdAt: -1 })
    .lean()
    .exec()) as StoredMessage[];
  const here = (message: StoredMessage) => String(message.conversationId) === String(subject.conversationId);
  return recent.find(here) ?? recent[0] ?? null;
}
