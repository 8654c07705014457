import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelAdapter, NormalizedEvent, WebhookRequest } from '../../../adapters/contract';
import { eventually } from './sandbox-control';

/** A webhook request exactly as it arrived, for replay with tampering. */
export type CapturedWebhook = WebhookRequest;

/**
 * Stands in for Vestnik's ingress in contract tests: a real HTTP server that hands each request to
 * `adapter.handleWebhook` and answers what the adapter says, recording requests and events.
 */
export class WebhookReceiver {
  readonly requests: CapturedWebhook[] = [];
  readonly events: NormalizedEvent[] = [];
  readonly key = randomBytes(24).toString('base64url');
  adapter: ChannelAdapter | null = null;
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void this.answer(req, Buffer.concat(chunks), res);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/contract-channel`;
  }

  /** Events pushed by the adapter itself (SMPP), as `AdapterContext.emit`. */
  readonly emit = async (events: NormalizedEvent[]): Promise<void> => {
    this.events.push(...events);
  };

  /** Waits for the first event of `type` (from index `since` on) that `matches`. */
  waitFor<T extends NormalizedEvent['type']>(
    type: T,
    matches: (event: Extract<NormalizedEvent, { type: T }>) => boolean,
    since = 0,
  ): Promise<Extract<NormalizedEvent, { type: T }>> {
    return eventually(
      () =>
        this.events
          .slice(since)
          .find(
            (event): event is Extract<NormalizedEvent, { type: T }> =>
              event.type === type && matches(event as Extract<NormalizedEvent, { type: T }>),
          ),
      `a ${type} event`,
    );
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async answer(req: http.IncomingMessage, rawBody: Buffer, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request: CapturedWebhook = {
      method: req.method === 'GET' ? 'GET' : 'POST',
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : value,
        ]),
      ),
      query: Object.fromEntries(url.searchParams.entries()),
      rawBody,
      remoteAddress: req.socket.remoteAddress ?? '',
    };
    this.requests.push(request);
    if (!this.adapter) return void res.writeHead(503).end();
    const result = await this.adapter.handleWebhook(request);
    if (result.outcome === 'rejected') return void res.writeHead(result.status).end(result.reason);
    this.events.push(...result.events);
    res
      .writeHead(result.response.status, { 'content-type': result.response.contentType })
      .end(result.response.body);
  }
}
