import type { Socket } from 'socket.io';
import { z } from 'zod';
import type { Principal } from '../../src/auth/principal';
import { AppError } from '../../src/errors/app-error';
import { requireScopes } from '../../src/http/authenticate';
import { parseInput } from '../../src/http/validation';
import type { Logger } from '../../src/logging/logger';
import { rooms } from '../../src/realtime/socket-gateway';
import type { Models } from '../../src/storage/models';
import type { AnyInboxAction } from '../actions/inbox-action';
import { actorOf } from '../conversations/actor';
import type { InboxEventEnvelope, InboxEvents } from './inbox-events';
import { type SocketAck, socketProblem } from './socket-problem';

/** Events a `sync` answers with at most; the client asks again from `seq` while `more`. */
export const syncPageSize = 500;
/** A socket sends at most one `typing` per conversation per this window; extra ones are dropped. */
export const typingThrottleMs = 1500;

const conversationIdSchema = z.string().regex(/^[a-f0-9]{24}$/i, 'must be a conversation id');
/**
 * `{since}`: the stored events after it. `{latest: true}`: no events, only the workspace's current
 * seq (a fresh client's baseline: it loads the current state over HTTP instead of replaying).
 */
const syncInput = z
  .strictObject({
    since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    latest: z.literal(true).optional(),
  })
  .refine((input) => (input.since === undefined) !== (input.latest === undefined), {
    message: 'give either `since` (a seq) or `latest: true`',
  });
const conversationRef = z.strictObject({ conversationId: conversationIdSchema });
const actionName = z.string().min(1).max(100);

/** The `sync` ack: missed events (oldest first), the position covered, and whether more remain. */
export interface SyncAnswer {
  events: InboxEventEnvelope[];
  /** Send this as the next `since`: the last event's seq when `more`, else the workspace's current seq. */
  seq: number;
  more: boolean;
}

/** `typing` as the others in the conversation room receive it: the one event that is never stored. */
export interface TypingNotice {
  conversationId: string;
  operatorId: string;
  name: string;
  /** The workspace's current seq (typing takes none of its own). */
  seq: number;
  ephemeral: true;
}

export interface SocketHandlerDeps {
  models: Models;
  events: InboxEvents;
  logger: Logger;
}

type Ack = (answer: SocketAck) => void;
type Handler = (args: unknown[]) => Promise<object>;

/**
 * Registers one handler: the last argument is the ack when it is a function (a missing ack is
 * tolerated); the handler's result is acked as `{ ok: true, ...result }`, any failure as
 * `{ ok: false, problem }`. Nothing thrown escapes to socket.io.
 */
function handle(socket: Socket, event: string, logger: Logger, handler: Handler): void {
  socket.on(event, (...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    const reply = (answer: SocketAck) => {
      try {
        ack?.(answer);
      } catch (error) {
        logger.warn({ err: error, event }, 'socket ack failed');
      }
    };
    Promise.resolve()
      .then(() => handler(args))
      .then(
        (result) => reply({ ok: true, ...result }),
        (error: unknown) => reply({ ok: false, problem: socketProblem(error, logger, event) }),
      );
  });
}

const actionsByName = new WeakMap<readonly AnyInboxAction[], Map<string, AnyInboxAction>>();

function findAction(actions: readonly AnyInboxAction[], name: string): AnyInboxAction {
  let byName = actionsByName.get(actions);
  if (!byName) {
    byName = new Map(actions.map((action) => [action.name, action]));
    actionsByName.set(actions, byName);
  }
  const action = byName.get(name);
  if (!action) throw new AppError('route.not_found', `No inbox action named ${name}.`);
  return action;
}

function conversationNotFound(conversationId: string): AppError {
  return new AppError('resource.not_found', `No conversation ${conversationId} in this workspace.`);
}

/**
 * The inbox's socket events for one authenticated connection (already in its workspace room and,
 * for an operator, its operator room): `sync`, `conversation.join` / `conversation.leave`,
 * `typing` and `action`. Every payload is validated with zod; every answer is an ack.
 */
export function attachInboxHandlers(
  deps: SocketHandlerDeps,
  socket: Socket,
  principal: Principal,
  actions: readonly AnyInboxAction[],
): void {
  const { workspaceId } = principal;
  const operatorId = principal.kind === 'operator' ? principal.operatorId : null;
  const on = (event: string, handler: Handler) => handle(socket, event, deps.logger, handler);

  on('sync', async ([payload]) => {
    requireScopes(principal, ['inbox:read']);
    const input = parseInput(syncInput, payload, 'body');
    if (input.since === undefined) {
      return { events: [], seq: await deps.events.currentSeq(workspaceId), more: false } satisfies SyncAnswer;
    }
    const { since } = input;
    const found = await deps.events.since(workspaceId, since, syncPageSize + 1, { operatorId });
    const more = found.length > syncPageSize;
    const events = found.slice(0, syncPageSize);
    const last = events.at(-1)?.seq ?? since;
    const seq = more ? last : Math.max(last, await deps.events.currentSeq(workspaceId));
    return { events, seq, more } satisfies SyncAnswer;
  });

  on('conversation.join', async ([payload]) => {
    requireScopes(principal, ['inbox:read']);
    const { conversationId } = parseInput(conversationRef, payload, 'body');
    const exists = await deps.models.Conversation.exists({ _id: conversationId, workspaceId }).exec();
    if (!exists) throw conversationNotFound(conversationId);
    await socket.join(rooms.conversation(conversationId));
    return {};
  });

  on('conversation.leave', async ([payload]) => {
    const { conversationId } = parseInput(conversationRef, payload, 'body');
    await socket.leave(rooms.conversation(conversationId));
    return {};
  });

  const lastTyping = new Map<string, number>();
  let name: Promise<string> | undefined;
  on('typing', async ([payload]) => {
    const { conversationId } = parseInput(conversationRef, payload, 'body');
    const room = rooms.conversation(conversationId);
    if (!socket.rooms.has(room)) throw conversationNotFound(conversationId);
    if (!operatorId) throw new AppError('auth.role_forbidden', 'Only operator sessions send typing.');
    const now = Date.now();
    if (now - (lastTyping.get(conversationId) ?? 0) < typingThrottleMs) return { throttled: true };
    lastTyping.set(conversationId, now);
    name ??= actorOf(deps, principal).then(
      (actor) => actor.name,
      () => 'Operator',
    );
    const notice: TypingNotice = {
      conversationId,
      operatorId,
      name: await name,
      seq: await deps.events.currentSeq(workspaceId),
      ephemeral: true,
    };
    socket.to(room).emit('typing', notice);
    return { throttled: false };
  });

  on('action', async ([rawName, input]) => {
    const action = findAction(actions, parseInput(actionName, rawName, 'body'));
    requireScopes(principal, action.scopes);
    const parsed = parseInput(action.input, input ?? {}, 'body');
    return { result: await action.run(principal, parsed) };
  });
}
