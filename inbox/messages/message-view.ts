import type { Types } from 'mongoose';
import { z } from 'zod';
import {
  type MessageDirection,
  type MessageDoc,
  type MessageKind,
  type MessageStatus,
  messageDirections,
  messageKinds,
  messageStatuses,
} from './message-model';

/** A message in a thread as the API, socket events and the operator UI see it. */
export const messageView = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    direction: z.enum(messageDirections),
    kind: z.enum(messageKinds),
    author: z.object({
      type: z.enum(['contact', 'operator', 'bot', 'system']),
      operatorId: z.string().nullable(),
      name: z.string().nullable(),
    }),
    text: z.string(),
    attachments: z.array(
      z.object({
        kind: z.string(),
        /** Download path under /v1 (`/attachments/<fileId>`), null when the file was not kept. */
        url: z.string().nullable(),
        fileName: z.string().nullable(),
        mimeType: z.string().nullable(),
        size: z.number().nullable(),
        details: z.unknown(),
      }),
    ),
    externalMessageId: z.string().nullable(),
    status: z.enum(messageStatuses),
    statusTimes: z.object({
      sent: z.string().nullable(),
      delivered: z.string().nullable(),
      read: z.string().nullable(),
      failed: z.string().nullable(),
    }),
    failureReason: z.string().nullable(),
    source: z
      .object({
        kind: z.enum(['notification', 'mailing']),
        id: z.string(),
        name: z.string(),
        attemptId: z.string().nullable(),
      })
      .nullable(),
    /** The outbound message this one answers: «In reply to <name>: <text>». */
    replyTo: z
      .object({
        messageId: z.string(),
        inferred: z.boolean(),
        via: z.string(),
        kind: z.string(),
        name: z.string().nullable(),
        text: z.string(),
      })
      .nullable(),
    payload: z.string().nullable(),
    buttons: z
      .array(
        z.object({
          kind: z.enum(['reply', 'callback', 'link']),
          label: z.string(),
          payload: z.string().nullable(),
          url: z.string().nullable(),
        }),
      )
      .meta({ description: 'Buttons sent with an outbound message (the bot’s)' }),
    createdAt: z.string(),
  })
  .meta({ id: 'InboxMessage' });
export type MessageView = z.output<typeof messageView>;

export type StoredMessage = MessageDoc & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

export function viewMessage(doc: StoredMessage): MessageView {
  return {
    id: String(doc._id),
    conversationId: String(doc.conversationId),
    direction: doc.direction as MessageDirection,
    kind: doc.kind as MessageKind,
    author: {
      type: (doc.author?.type ?? 'system') as MessageView['author']['type'],
      operatorId: doc.author?.operatorId ? String(doc.author.operatorId) : null,
      name: doc.author?.name ?? null,
    },
    text: doc.text ?? '',
    attachments: (doc.attachments ?? []).map((file) => ({
      kind: file.kind,
      url: file.fileId ? `/attachments/${file.fileId}` : null,
      fileName: file.fileName ?? null,
      mimeType: file.mimeType ?? null,
      size: file.size ?? null,
      details: file.details ?? null,
    })),
    externalMessageId: doc.externalMessageId ?? null,
    status: doc.status as MessageStatus,
    statusTimes: {
      sent: iso(doc.statusTimes?.sent),
      delivered: iso(doc.statusTimes?.delivered),
      read: iso(doc.statusTimes?.read),
      failed: iso(doc.statusTimes?.failed),
    },
    failureReason: doc.failureReason ?? null,
    source: doc.source
      ? {
          kind: doc.source.kind as 'notification' | 'mailing',
          id: doc.source.id,
          name: doc.source.name,
          attemptId: doc.source.attemptId ?? null,
        }
      : null,
    replyTo: doc.replyTo
      ? {
          messageId: String(doc.replyTo.messageId),
          inferred: doc.replyTo.inferred,
          via: doc.replyTo.via,
          kind: doc.replyTo.kind,
          name: doc.replyTo.name ?? null,
          text: doc.replyTo.text ?? '',
        }
      : null,
    payload: doc.payload ?? null,
    buttons: (doc.buttons ?? []).map((button) => ({
      kind: button.kind as 'reply' | 'callback' | 'link',
      label: button.label,
      payload: button.payload ?? null,
      url: button.url ?? null,
    })),
    createdAt: doc.createdAt.toISOString(),
  };
}
