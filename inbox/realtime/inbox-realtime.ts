import type { Socket } from 'socket.io';
import type { Principal } from '../../src/auth/principal';
import type { AnyRoute } from '../../src/http/route-definition';
import { rooms } from '../../src/realtime/socket-gateway';
import { createKeyedLock } from '../../src/storage/keyed-lock';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { AnyInboxAction } from '../actions/inbox-action';
import { startAssignmentWorker } from '../assignment/assignment-worker';
import { type AutoAssigner, createAutoAssigner } from '../assignment/auto-assigner';
import type { InboxCore } from '../inbox-core';
import type { InboxEventEnvelope, InboxEvents } from './inbox-events';
import { inboxOperatorRoutes } from './inbox-operator-routes';
import { createOperatorPresence, type OperatorPresence } from './operator-presence';
import { createPresenceAnnouncer } from './presence-announcer';
import { createPresenceTracker, type PresenceTracker } from './presence-tracker';
import { attachInboxHandlers } from './socket-handlers';

/**
 * The real-time side of the inbox: socket handlers (rooms, sync, typing, actions), operator
 * presence, auto-assignment and the operators' list route.
 *
 * `events` is the publisher every other inbox part uses: it is `core.events` plus the reactions
 * assignment needs — a conversation event in state `queued` (a hand-off, an unassignment, a new
 * queued conversation) asks for an assignment pass; one in state `closed` with an assignee
 * (capacity freed) asks for one too and re-announces that assignee's load. While a human owns a
 * conversation, nothing here changes its owner.
 */
export interface InboxRealtime {
  /** The events every other part publishes through. */
  events: InboxEvents;
  /** GET /v1/inbox/operators. */
  routes: AnyRoute[];
  presence: OperatorPresence;
  assigner: AutoAssigner;
  /** This node's operator sockets in the shared presence (heartbeat, connect / disconnect). */
  tracker: PresenceTracker;
  attachSocket(socket: Socket, principal: Principal, actions: readonly AnyInboxAction[]): void;
  /** The periodic assignment / presence sweep (worker roles). */
  startWorker(): Promise<void>;
}

export interface InboxRealtimeOptions {
  /** Presence registration lifetime without a heartbeat (default 30 s). */
  presenceTtlMs?: number;
  /** Heartbeat of this node's sockets (default 10 s). */
  heartbeatMs?: number;
  /** Period of the assignment safety net (default 15 s). */
  sweepEveryMs?: number;
}

type RealtimeCore = Omit<InboxCore, 'events'> & { events: InboxEvents };

export function createInboxRealtime(core: RealtimeCore, options: InboxRealtimeOptions = {}): InboxRealtime {
  const prefix = core.config.QUEUE_PREFIX;
  const presence = createOperatorPresence(core.redis, prefix, { ttlMs: options.presenceTtlMs });
  let events: InboxEvents = core.events;
  const announce = createPresenceAnnouncer({ models: core.models, presence, events: () => events });
  const fullCore: InboxCore = {
    ...core,
    get events() {
      return events;
    },
  };
  const assigner = createAutoAssigner({
    core: fullCore,
    presence,
    announce,
    passLock: createKeyedLock(core.redis, `${prefix}:inbox-assign-lock`, { acquireTimeoutMs: 60_000 }),
  });
  const background = (work: Promise<unknown>, what: string) => {
    work.catch((error: unknown) => core.logger.warn({ err: error }, what));
  };
  events = withAssignmentTriggers(core.events, (workspaceId, stored) => {
    const state = conversationState(stored);
    if (state === 'queued') return void assigner.request(workspaceId);
    // Only a closed conversation someone owned frees capacity: one a notification opened closed,
    // or a queued one resolved, changes nothing (and ingest publishes many of them).
    const assigneeId = state === 'closed' ? assigneeOf(stored) : null;
    if (!assigneeId) return;
    void assigner.request(workspaceId);
    background(announce(workspaceId, [assigneeId]), 'presence load not announced');
  });
  const onOffline = (workspaceId: WorkspaceId, operatorIds: string[]) => announce(workspaceId, operatorIds);
  const tracker = createPresenceTracker({
    presence,
    logger: core.logger,
    heartbeatMs: options.heartbeatMs,
    onOffline,
    async onOnline(workspaceId, operatorIds) {
      await announce(workspaceId, operatorIds);
      void assigner.request(workspaceId);
    },
  });
  const handlerDeps = { models: core.models, events, logger: core.logger };
  return {
    events,
    routes: inboxOperatorRoutes({ models: core.models, presence }),
    presence,
    assigner,
    tracker,
    attachSocket(socket, principal, actions) {
      attachInboxHandlers(handlerDeps, socket, principal, actions);
      // The gateway puts every connection in its workspace room; inbox events (customer
      // messages) are only for credentials that may read the inbox.
      if (!principal.scopes.includes('inbox:read')) {
        void socket.leave(rooms.workspace(principal.workspaceId));
        if (principal.kind === 'operator') void socket.leave(rooms.operator(principal.operatorId));
        return;
      }
      if (principal.kind !== 'operator') return;
      const entry = {
        workspaceId: principal.workspaceId,
        operatorId: principal.operatorId,
        socketId: socket.id,
      };
      background(tracker.connected(entry), 'presence not registered');
      socket.once('disconnect', () => background(tracker.disconnected(entry), 'presence not unregistered'));
    },
    startWorker: () =>
      startAssignmentWorker({ core: fullCore, presence, assigner, onOffline, everyMs: options.sweepEveryMs }),
  };
}

/** The publisher with a hook run (not awaited) after every stored event. */
function withAssignmentTriggers(
  inner: InboxEvents,
  after: (workspaceId: WorkspaceId, stored: InboxEventEnvelope) => void,
): InboxEvents {
  return {
    ...inner,
    async publish(workspaceId, event) {
      const stored = await inner.publish(workspaceId, event);
      after(workspaceId, stored);
      return stored;
    },
  };
}

const conversationEvents = new Set(['conversation.created', 'conversation.updated', 'conversation.handoff']);

function conversationState(stored: InboxEventEnvelope): string | null {
  if (!conversationEvents.has(stored.type) || stored.operatorId) return null;
  const state = (stored.data as { state?: unknown } | null)?.state;
  return typeof state === 'string' ? state : null;
}

function assigneeOf(stored: InboxEventEnvelope): string | null {
  const assigneeId = (stored.data as { assigneeId?: unknown } | null)?.assigneeId;
  return typeof assigneeId === 'string' ? assigneeId : null;
}
