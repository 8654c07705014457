import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { Types, trusted } from 'mongoose';
import { rooms } from '../../src/realtime/socket-gateway';
import { isDuplicateKey } from '../../src/storage/duplicate-key';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';

/**
 * Stored inbox events (each gets the next per-workspace `seq`). `typing` is the one ephemeral
 * event: it is not stored and carries the workspace's current seq without taking a new one.
 */
export const inboxEventTypes = [
  'conversation.created',
  'conversation.updated',
  'conversation.handoff',
  /** Addressed to one operator: auto-assignment gave them the conversation (data: ConversationView). */
  'conversation.assigned',
  'message.created',
  'message.updated',
  'operator.presence',
] as const;
export type InboxEventType = (typeof inboxEventTypes)[number];

/** What a socket receives, on the `inbox` event name, and what `sync` replays from MongoDB. */
export interface InboxEventEnvelope {
  seq: number;
  type: InboxEventType;
  conversationId: string | null;
  /** Set when only one operator should receive it. */
  operatorId: string | null;
  data: unknown;
  at: string;
}

export interface InboxEventInput {
  type: InboxEventType;
  conversationId?: string | null;
  operatorId?: string | null;
  data: unknown;
}

/** The socket.io event name inbox events are emitted on (rooms: the gateway's `rooms`). */
export const inboxSocketEvent = 'inbox';

/**
 * Publishes inbox events: takes the next per-workspace sequence number (Redis INCR, seeded from
 * the highest stored seq when Redis lost it), stores the event in MongoDB, then emits it through
 * the socket.io Redis adapter's channel, so it works from `worker` processes (which have no
 * socket.io server) and reaches operators on every `serve` node.
 *
 * Not promised: that events arrive in seq order (two publishers race); clients order by seq and
 * ask `since` for gaps. A crash between INCR and the insert leaves a seq that never appears.
 */
export interface InboxEvents {
  publish(workspaceId: WorkspaceId, event: InboxEventInput): Promise<InboxEventEnvelope>;
  /**
   * Stored events after `seq`, oldest first, at most `limit`. With `audience`, only the events that
   * audience receives live: workspace-wide ones, plus those addressed to `audience.operatorId`
   * (`null`: an API key, which gets no operator-addressed events).
   */
  since(
    workspaceId: WorkspaceId,
    seq: number,
    limit: number,
    audience?: { operatorId: string | null },
  ): Promise<InboxEventEnvelope[]>;
  /** The workspace's latest seq (0 when none). */
  currentSeq(workspaceId: WorkspaceId): Promise<number>;
  /** Emits an event that is not stored (typing) to a room. */
  emitEphemeral(room: string, name: string, data: unknown): void;
}

const nextSeqScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('INCR', KEYS[1])
`;

export function createInboxEvents(deps: { models: Models; redis: Redis; prefix: string }): InboxEvents {
  const emitter = new Emitter(deps.redis, { key: `${deps.prefix}:socket.io` });
  const seqKey = (workspaceId: string) => `${deps.prefix}:inbox:seq:${workspaceId}`;

  async function storedMax(workspaceId: WorkspaceId): Promise<number> {
    const last = await deps.models.InboxEvent.findOne({ workspaceId })
      .sort({ seq: -1 })
      .select({ seq: 1 })
      .lean()
      .exec();
    return last?.seq ?? 0;
  }

  async function nextSeq(workspaceId: WorkspaceId): Promise<number> {
    for (let tries = 0; tries < 5; tries += 1) {
      const seq = Number(await deps.redis.eval(nextSeqScript, 1, seqKey(workspaceId)));
      if (seq > 0) return seq;
      await deps.redis.set(seqKey(workspaceId), String(await storedMax(workspaceId)), 'NX');
    }
    throw new Error(`inbox sequence for workspace ${workspaceId} could not be seeded`);
  }

  async function store(workspaceId: WorkspaceId, event: InboxEventInput): Promise<InboxEventEnvelope> {
    for (let tries = 0; ; tries += 1) {
      const seq = await nextSeq(workspaceId);
      try {
        const doc = await deps.models.InboxEvent.create({
          workspaceId,
          seq,
          type: event.type,
          conversationId: event.conversationId ?? null,
          operatorId: event.operatorId ?? null,
          data: event.data,
        });
        return envelope(doc.toObject());
      } catch (error) {
        // A seq already stored: Redis was flushed and re-seeded by a racing process. Reseed past it.
        if (!isDuplicateKey(error) || tries >= 3) throw error;
        await deps.redis.del(seqKey(workspaceId));
      }
    }
  }

  return {
    async publish(workspaceId, event) {
      const stored = await store(workspaceId, event);
      const room = stored.operatorId
        ? rooms.operator(stored.operatorId)
        : rooms.workspace(String(workspaceId));
      emitter.to(room).emit(inboxSocketEvent, stored);
      return stored;
    },
    async since(workspaceId, seq, limit, audience) {
      const addressed = audience ? { $or: recipientsOf(audience.operatorId) } : {};
      const docs = await deps.models.InboxEvent.find({
        workspaceId,
        seq: trusted({ $gt: seq }),
        ...addressed,
      })
        .sort({ seq: 1 })
        .limit(limit)
        .lean()
        .exec();
      return docs.map(envelope);
    },
    async currentSeq(workspaceId) {
      const value = await deps.redis.get(seqKey(workspaceId));
      return value === null ? storedMax(workspaceId) : Number(value);
    },
    emitEphemeral(room, name, data) {
      emitter.to(room).emit(name, data);
    },
  };
}

function recipientsOf(operatorId: string | null) {
  if (operatorId === null || !Types.ObjectId.isValid(operatorId)) return [{ operatorId: null }];
  return [{ operatorId: null }, { operatorId: new Types.ObjectId(operatorId) }];
}

function envelope(doc: {
  seq: number;
  type: string;
  conversationId?: unknown;
  operatorId?: unknown;
  data: unknown;
  createdAt?: Date | null;
}): InboxEventEnvelope {
  return {
    seq: doc.seq,
    type: doc.type as InboxEventType,
    conversationId: doc.conversationId ? String(doc.conversationId) : null,
    operatorId: doc.operatorId ? String(doc.operatorId) : null,
    data: doc.data,
    at: (doc.createdAt ?? new Date()).toISOString(),
  };
}
