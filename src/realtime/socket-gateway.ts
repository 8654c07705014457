import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Principal } from '../auth/principal';
import { AppError } from '../errors/app-error';
import type { Authenticator } from '../http/authenticate';
import type { Logger } from '../logging/logger';

export interface SocketGateway {
  io: Server;
  close(): Promise<void>;
}

/** Room names: everything is addressed by workspace (and, later, by operator). */
export const rooms = {
  workspace: (workspaceId: string) => `ws:${workspaceId}`,
  operator: (operatorId: string) => `op:${operatorId}`,
};

/**
 * socket.io on the API's HTTP server, with the Redis adapter so any API node reaches any operator.
 * A connection authenticates like an HTTP request (session cookie, or `auth.token`) and joins its
 * workspace room; it is told who it is with a `session` event.
 */
export function createSocketGateway(
  server: HttpServer,
  deps: { redis: Redis; auth: Authenticator; logger: Logger; keyPrefix: string },
): SocketGateway {
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
      socket.data.principal = await deps.auth.authenticate({ headers, ip: socket.handshake.address });
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
    if (principal.kind === 'operator') void socket.join(rooms.operator(principal.operatorId));
    socket.emit('session', {
      workspaceId: principal.workspaceId,
      kind: principal.kind,
      ...(principal.kind === 'operator' ? { operatorId: principal.operatorId, role: principal.role } : {}),
    });
  });
  return {
    io,
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
