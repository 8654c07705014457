import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with the body exactly as sent (for signature checks). */
export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  rawBody: string;
  receivedAt: number;
}

/** An answer to give; `headers` such as `Retry-After` or `Location`. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A business's webhook receiver on 127.0.0.1: records every request and answers each path from a
 * script (one answer per request, the last one repeated; 200 when none is scripted).
 */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  script(path: string, answers: ScriptedAnswer[]): void;
  requests(path: string): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const scripts = new Map<string, ScriptedAnswer[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({
        path,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
        ),
        rawBody: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      const answers = scripts.get(path) ?? [];
      const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? { status: 200 };
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    script: (path, answers) => scripts.set(path, [...answers]),
    requests: (path) => received.filter((request) => request.path === path),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
