import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import proxyAddr from 'proxy-addr';
import { Server, type Socket } from 'socket.io';
import type { Principal } from '../auth/principal';
import { AppError } from '../errors/app-error';
import type { Authenticator } from '../http/authenticate';
import type { Logger } from '../logging/logger';

export interface SocketGateway {
  io: Server;
  /** Closes this node's connections made with a credential that was revoked or ended. */
  dropCredential(credentialId: string): void;
  close(): Promise<void>;
}

/**
 * Room names, shared by the gateway (which joins them) and the publishers that emit to them from
 * any process (the inbox's events): by workspace, operator, credential and open conversation.
 */
export const rooms = {
  workspace: (workspaceId: string) => `ws:${workspaceId}`,
  operator: (operatorId: string) => `op:${operatorId}`,
  credential: (credentialId: string) => `cred:${credentialId}`,
  conversation: (conversationId: string) => `conv:${conversationId}`,
};

export interface SocketGatewayDeps {
  redis: Redis;
  auth: Authenticator;
  logger: Logger;
  keyPrefix: string;
  /** Reverse proxies trusted for X-Forwarded-For, as for HTTP (TRUST_PROXY). */
  trustProxy: number;
  /** Modules' handlers for each authenticated connection (the inbox's rooms, sync, actions). */
  onConnection?: (socket: Socket, principal: Principal) => void;
}

/**
 * socket.io on the API's HTTP server, with the Redis adapter so any API node reaches any operator.
 * A connection authenticates like an HTTP request (session cookie, or `auth.token`) and joins its
 * workspace room; it is told who it is with a `session` event. It is closed when its credential is
 * revoked (`dropCredential`, called on every node from the revocation channel) or its session ends.
 */
export function createSocketGateway(server: HttpServer, deps: SocketGatewayDeps): SocketGateway {
  const trust = (_address: string, hop: number) => hop < deps.trustProxy;
  const pub = deps.redis.duplicate();
  const sub = deps.redis.duplicate();
  const io = new Server(server, {
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: `${deps.keyPrefix}:socket.io` }),
  });
  io.use(async (socket, next) => {
    const token = typeof socket.handshake.auth.token === 'string' ? socket.handshake.auth.token : undefined;
    const headers = token
      ? { authorization: `Bearer ${token}` }
      : { cookie: socket.handshake.headers.cookie };
    try {
      const ip = proxyAddr(socket.request, trust);
      socket.data.principal = await deps.auth.authenticate({ headers, ip });
      next();
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'internal.error';
      if (code === 'internal.error') deps.logger.error({ err: error }, 'socket authentication failed');
      else deps.logger.debug({ code }, 'socket connection refused');
      const failure = new Error(code) as Error & { data?: unknown };
      failure.data = { code };
      next(failure);
    }
  });
  io.on('connection', (socket) => {
    const principal = socket.data.principal as Principal;
    void socket.join(rooms.workspace(principal.workspaceId));
    void socket.join(rooms.credential(principal.credentialId));
    if (principal.kind === 'operator') {
      void socket.join(rooms.operator(principal.operatorId));
      const untilExpiry = Math.min(principal.expiresAt.getTime() - Date.now(), 2_147_483_647);
      const expiry = setTimeout(() => socket.disconnect(true), untilExpiry);
      socket.once('disconnect', () => clearTimeout(expiry));
    }
    deps.onConnection?.(socket, principal);
    socket.emit('session', {
      workspaceId: principal.workspaceId,
      kind: principal.kind,
      ...(principal.kind === 'operator' ? { operatorId: principal.operatorId, role: principal.role } : {}),
    });
  });
  return {
    io,
    dropCredential(credentialId) {
      io.local.in(rooms.credential(credentialId)).disconnectSockets(true);
    },
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      // quit (not disconnect): the adapter's fire-and-forget publishes must drain first, or they
      // reject with "Connection is closed" after we are gone.
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
