import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP port for the app under test, opened before the app exists so its public URL (which
 * platforms call back: webhook registration, WhatsApp's verification) is known when it is built.
 */
export interface PublicServer {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

export async function listenPublic(): Promise<PublicServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
