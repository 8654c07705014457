import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One answer a sandbox platform API gave Vestnik. */
export interface PlatformAnswer {
  /** The simulator's mount (`notify`, `telegram`, …). */
  platform: string;
  path: string;
  status: number;
  /** `performance.now()` when the answer finished. */
  at: number;
}

/**
 * Every answer the in-process sandbox's HTTP platforms give, from Node's own
 * `http.server.response.finish` diagnostics channel: the platform's side of the traffic, its
 * real rate-limit refusals (429) included, without touching the sandbox or Vestnik. The bench
 * process runs no other HTTP server. Control API calls (`/_sandbox`) are left out.
 */
export class PlatformTraffic {
  readonly answers: PlatformAnswer[] = [];
  private readonly listener = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const path = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '';
    if (path.startsWith('/_sandbox')) return;
    const platform = /^\/([^/?]+)/.exec(path)?.[1] ?? '';
    this.answers.push({ platform, path, status: response.statusCode, at: performance.now() });
  };

  start(): this {
    diagnostics.subscribe('http.server.response.finish', this.listener);
    return this;
  }

  stop(): void {
    diagnostics.unsubscribe('http.server.response.finish', this.listener);
  }

  /** Answers of `platform` to requests whose path matches `path`, finished in [from, to). */
  between(platform: string, path: RegExp, from: number, to: number): PlatformAnswer[] {
    return this.answers.filter(
      (a) => a.platform === platform && path.test(a.path) && a.at >= from && a.at < to,
    );
  }

  clear(): void {
    this.answers.length = 0;
  }
}
