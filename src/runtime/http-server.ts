import { createServer, type Server } from 'node:http';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/**
 * Listens and resolves with the bound port; a taken port is one clear error. The request handler
 * is attached by the caller once the port (and so the public URL) is known.
 */
export function listen(host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer();
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `Port ${port} on ${host} is already in use: stop the other process or set PORT.`,
            )
          : error,
      );
    });
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/**
 * Stops accepting, lets in-flight requests finish, closes idle keep-alive connections at once and
 * the rest after `graceMs`.
 */
export async function drain(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
