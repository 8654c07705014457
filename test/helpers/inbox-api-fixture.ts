import { Types } from 'mongoose';
import request from 'supertest';
import type { ConversationState } from '../../inbox/conversations/conversation-model';
import type { StoredConversation } from '../../inbox/conversations/conversation-view';
import { addOperator } from '../../src/auth/operators';
import { login } from '../../src/auth/sessions';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { bearer, type NotificationFixture } from './notification-fixture';

/** An operator of a workspace with a live session token (usable as a bearer). */
export interface OperatorSession {
  id: string;
  name: string;
  token: string;
}

let operatorCount = 0;

export async function operatorSession(
  fx: NotificationFixture,
  workspaceId: WorkspaceId,
  name: string,
): Promise<OperatorSession> {
  operatorCount += 1;
  const email = `op${operatorCount}-${Date.now()}@example.ru`;
  const password = 'correct horse battery staple';
  const { id } = await addOperator(fx.stack.models, workspaceId, { email, role: 'operator', password, name });
  const session = await login(fx.stack.models, { email, password, workspaceId }, 3600, '127.0.0.1');
  return { id, name, token: session.token };
}

export interface SeedConversation {
  channelType: string;
  externalChatId?: string;
  contactName?: string | null;
  contactPhone?: string | null;
  state?: ConversationState;
  assigneeId?: string | null;
  tags?: string[];
  lastMessageAt?: Date;
  lastInboundAt?: Date | null;
  unreadCount?: number;
  /** Customer messages stored in the thread (oldest first). */
  messages?: string[];
}

let chatCount = 0;

/**
 * A contact and its conversation on one of the fixture's channels, stored directly through the
 * models (the real database), for tests that need exact timestamps and states.
 */
export async function seedConversation(
  fx: NotificationFixture,
  seed: SeedConversation,
  workspaceId: WorkspaceId = fx.workspaceId,
  channelId: string | undefined = fx.channels[seed.channelType],
): Promise<StoredConversation> {
  if (!channelId) throw new Error(`no ${seed.channelType} channel`);
  chatCount += 1;
  const { models } = fx.stack;
  const contact = await models.Contact.create({
    workspaceId,
    name: seed.contactName ?? null,
    phone: seed.contactPhone ?? null,
  });
  const at = seed.lastMessageAt ?? new Date();
  const conversation = await models.Conversation.create({
    workspaceId,
    contactId: contact._id,
    channelId,
    channelType: seed.channelType,
    externalChatId: seed.externalChatId ?? `chat-${chatCount}-${Date.now()}`,
    state: seed.state ?? 'queued',
    assigneeId: seed.assigneeId ?? null,
    tags: seed.tags ?? [],
    contactName: seed.contactName ?? null,
    contactPhone: seed.contactPhone ?? null,
    lastMessageAt: at,
    lastMessage: { direction: 'inbound', kind: 'text', text: seed.messages?.at(-1) ?? '' },
    lastInboundAt: seed.lastInboundAt === undefined ? at : seed.lastInboundAt,
    unreadCount: seed.unreadCount ?? 0,
    queuedAt: seed.state === 'queued' || seed.state === undefined ? at : null,
  });
  for (const text of seed.messages ?? []) {
    const _id = new Types.ObjectId();
    await models.InboxMessage.create({
      _id,
      workspaceId,
      conversationId: conversation._id,
      contactId: contact._id,
      channelId,
      direction: 'inbound',
      kind: 'text',
      author: { type: 'contact', name: seed.contactName ?? null },
      text,
      dedupeKey: `in:${channelId}:${String(_id)}`,
      externalMessageId: String(_id),
      status: 'received',
    });
  }
  return conversation.toObject() as StoredConversation;
}

/** supertest with a bearer token. */
export function api(fx: NotificationFixture, token: string) {
  const app = fx.stack.app;
  return {
    get: (path: string) => request(app).get(`/v1${path}`).set(bearer(token)),
    post: (path: string, body?: object) => {
      const req = request(app).post(`/v1${path}`).set(bearer(token));
      return body === undefined ? req : req.send(body);
    },
    put: (path: string, body: object) => request(app).put(`/v1${path}`).set(bearer(token)).send(body),
    patch: (path: string, body: object) => request(app).patch(`/v1${path}`).set(bearer(token)).send(body),
    delete: (path: string) => request(app).delete(`/v1${path}`).set(bearer(token)),
  };
}
