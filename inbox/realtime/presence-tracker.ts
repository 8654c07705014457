import type { Logger } from '../../src/logging/logger';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import type { OperatorPresence, PresenceSocket } from './operator-presence';

/**
 * This node's operator sockets in the shared presence: registers them on connect, refreshes them
 * every heartbeat while any is connected (so a crash of this node lets them expire), unregisters
 * them on disconnect, and on each heartbeat sweeps the workspaces it serves (so operators of a
 * crashed peer node go offline). `onOnline` / `onOffline` are told of every change it sees.
 */
export interface PresenceTracker {
  connected(socket: PresenceSocket): Promise<void>;
  disconnected(socket: PresenceSocket): Promise<void>;
  /** One heartbeat now (also run by the timer). */
  beat(): Promise<void>;
}

export interface PresenceTrackerDeps {
  presence: OperatorPresence;
  onOnline(workspaceId: WorkspaceId, operatorIds: string[]): Promise<void>;
  onOffline(workspaceId: WorkspaceId, operatorIds: string[]): Promise<void>;
  logger: Logger;
  /** Default 10 s: a third of the presence TTL's default. */
  heartbeatMs?: number;
}

export function createPresenceTracker(deps: PresenceTrackerDeps): PresenceTracker {
  const heartbeatMs = deps.heartbeatMs ?? 10_000;
  const local = new Map<string, { socket: PresenceSocket; joined: Promise<void> }>();
  let timer: NodeJS.Timeout | undefined;

  const warn = (error: unknown, what: string) => deps.logger.warn({ err: error }, what);

  function startTimer() {
    if (timer) return;
    timer = setInterval(() => {
      beat().catch((error: unknown) => warn(error, 'presence heartbeat failed'));
    }, heartbeatMs);
    timer.unref();
  }

  function stopTimerWhenIdle() {
    if (local.size > 0 || !timer) return;
    clearInterval(timer);
    timer = undefined;
  }

  async function beat(): Promise<void> {
    const workspaces = new Set<string>();
    for (const { socket } of [...local.values()]) {
      workspaces.add(socket.workspaceId);
      if (await deps.presence.refresh(socket)) {
        await deps.onOnline(trustedWorkspaceId(socket.workspaceId), [socket.operatorId]);
      }
    }
    for (const workspaceId of workspaces) {
      const offline = await deps.presence.sweep(workspaceId);
      if (offline.length > 0) await deps.onOffline(trustedWorkspaceId(workspaceId), offline);
    }
  }

  return {
    beat,
    connected(socket) {
      const joined = deps.presence.join(socket).then(async (cameOnline) => {
        if (cameOnline) await deps.onOnline(trustedWorkspaceId(socket.workspaceId), [socket.operatorId]);
      });
      local.set(socket.socketId, { socket, joined: joined.catch(() => {}) });
      startTimer();
      return joined;
    },
    async disconnected(socket) {
      const entry = local.get(socket.socketId);
      local.delete(socket.socketId);
      stopTimerWhenIdle();
      await entry?.joined;
      if (await deps.presence.leave(socket)) {
        await deps.onOffline(trustedWorkspaceId(socket.workspaceId), [socket.operatorId]);
      }
    },
  };
}
