import type { Redis } from 'ioredis';

/**
 * Which operators are online, shared by every `serve` node through Redis. An operator is online
 * while at least one of their sockets is connected on any node. Each socket is a member of the
 * operator's sorted set scored by the time its registration expires; the node holding the socket
 * refreshes it (`refresh`, every heartbeat), so the sockets of a crashed node expire by themselves
 * and `sweep` then announces their operators offline.
 *
 * The workspace's sorted set holds the operators *announced* online (scored by their latest socket
 * expiry): `join`/`refresh` answer `true` when an operator was not announced (so the caller
 * publishes "online"), `leave`/`sweep` when the last socket went (the caller publishes "offline").
 * Not promised: that presence survives a Redis flush by itself — the next heartbeat re-announces
 * every connected operator.
 */
export interface OperatorPresence {
  /** Registers a connected socket; `true` when its operator just came online. */
  join(socket: PresenceSocket): Promise<boolean>;
  /** Re-registers a socket still connected (heartbeat); `true` when its operator was not announced. */
  refresh(socket: PresenceSocket): Promise<boolean>;
  /** Unregisters a socket; `true` when its operator has no socket left and went offline. */
  leave(socket: PresenceSocket): Promise<boolean>;
  /** Drops expired sockets of the workspace; the operators that went offline. */
  sweep(workspaceId: string): Promise<string[]>;
  /** Ids of the workspace's online operators (expired registrations excluded). */
  online(workspaceId: string): Promise<string[]>;
  /** Connected sockets of one operator, on every node. */
  socketCount(operatorId: string): Promise<number>;
  /** Workspaces that had presence recently (for the periodic sweep). */
  workspaces(): Promise<string[]>;
}

export interface PresenceSocket {
  workspaceId: string;
  operatorId: string;
  /** Unique across nodes (socket.io's socket id). */
  socketId: string;
}

export interface OperatorPresenceOptions {
  /** How long a socket's registration lasts without a refresh (default 30 s). */
  ttlMs?: number;
  now?: () => number;
}

/** KEYS: operator set, workspace set, workspaces set. ARGV: now, expiresAt, socketId, operatorId, workspaceId. */
const joinScript = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], top[2])
redis.call('SADD', KEYS[3], ARGV[5])
local announced = redis.call('ZSCORE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[2], top[2], ARGV[4])
if announced then return 0 end
return 1
`;

/** KEYS: operator set, workspace set. ARGV: now, socketId ('' for none), operatorId. */
const leaveScript = `
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[1], ARGV[2]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if #top == 0 then
  return redis.call('ZREM', KEYS[2], ARGV[3])
end
redis.call('ZADD', KEYS[2], top[2], ARGV[3])
return 0
`;

export function createOperatorPresence(
  redis: Redis,
  prefix: string,
  options: OperatorPresenceOptions = {},
): OperatorPresence {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const base = `${prefix}:inbox:presence`;
  const keys = {
    operator: (operatorId: string) => `${base}:op:${operatorId}`,
    workspace: (workspaceId: string) => `${base}:ws:${workspaceId}`,
    workspaces: `${base}:workspaces`,
  };

  async function register(socket: PresenceSocket): Promise<boolean> {
    const at = now();
    const result = await redis.eval(
      joinScript,
      3,
      keys.operator(socket.operatorId),
      keys.workspace(socket.workspaceId),
      keys.workspaces,
      String(at),
      String(at + ttlMs),
      socket.socketId,
      socket.operatorId,
      socket.workspaceId,
    );
    return Number(result) === 1;
  }

  async function drop(workspaceId: string, operatorId: string, socketId: string): Promise<boolean> {
    const result = await redis.eval(
      leaveScript,
      2,
      keys.operator(operatorId),
      keys.workspace(workspaceId),
      String(now()),
      socketId,
      operatorId,
    );
    return Number(result) === 1;
  }

  return {
    join: register,
    refresh: register,
    leave: (socket) => drop(socket.workspaceId, socket.operatorId, socket.socketId),
    async sweep(workspaceId) {
      const expired = await redis.zrangebyscore(keys.workspace(workspaceId), '-inf', now());
      const offline: string[] = [];
      for (const operatorId of expired) {
        if (await drop(workspaceId, operatorId, '')) offline.push(operatorId);
      }
      if ((await redis.zcard(keys.workspace(workspaceId))) === 0) {
        await redis.srem(keys.workspaces, workspaceId);
      }
      return offline;
    },
    online: (workspaceId) => redis.zrangebyscore(keys.workspace(workspaceId), `(${now()}`, '+inf'),
    socketCount: (operatorId) => redis.zcount(keys.operator(operatorId), `(${now()}`, '+inf'),
    workspaces: () => redis.smembers(keys.workspaces),
  };
}
