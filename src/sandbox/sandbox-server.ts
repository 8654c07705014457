import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../logging/logger';
import { CallbackSender } from './callback-sender';
import { createControlRouter } from './control-routes';
import { FaultRegistry } from './faults';
import { SandboxFileStore } from './file-store';
import { createSandboxClock } from './sandbox-clock';
import type { SandboxContext, SandboxPlatform, SandboxPlatformFactory } from './sandbox-platform';
import { createSeededRandom } from './seeded-random';
import type { SimulatorName } from './simulators';
import { TrafficLog } from './traffic-log';
import { VirtualUserStore } from './virtual-users';

export interface SandboxOptions {
  host: string;
  /** HTTP port; 0 picks a free one. */
  port: number;
  smppPort?: number;
  smtpPort?: number;
  /** Same seed, same ids and tokens. */
  seed: string;
  logger: Logger;
  platforms: readonly SandboxPlatformFactory[];
  /** How long the sandbox waits for the business to answer a webhook. */
  callbackTimeoutMs?: number;
}

export interface Sandbox {
  /** `http://host:port`. */
  url: string;
  context: SandboxContext;
  platforms: ReadonlyMap<SimulatorName, SandboxPlatform>;
  close(): Promise<void>;
}

/** Records a platform API request, then applies the injected API faults before the simulator answers. */
function observe(context: SandboxContext, platform: SandboxPlatform): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    context.log.request({
      platform: platform.name,
      method: req.method,
      path: req.url,
      contentType: req.headers['content-type'] ?? null,
      body: Buffer.isBuffer(req.body) ? { bytes: req.body.length } : (req.body ?? null),
    });
    for (const fault of context.faults.takeApiFaults(platform.name)) {
      if (fault.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (fault.kind === 'timeout') return void holdOpen(req, res);
      if (fault.kind === 'server-error')
        return void res
          .status(fault.status)
          .type('text/html')
          .send('<html><body>Service Unavailable</body></html>');
      if (fault.kind === 'rate-limit') {
        if (platform.rateLimitAnswer) return void platform.rateLimitAnswer(res, fault.retryAfterSeconds);
        return void res
          .status(429)
          .set('Retry-After', String(fault.retryAfterSeconds))
          .send('Too Many Requests');
      }
    }
    next();
  };
}

/** Never answers; the socket is closed when the client gives up or the sandbox stops. */
function holdOpen(req: Request, res: Response): void {
  const timer = setTimeout(() => res.destroy(), 600_000);
  req.socket.once('close', () => clearTimeout(timer));
}

const parsers: RequestHandler[] = [
  express.json({ limit: '60mb', type: ['application/json', 'application/*+json'] }),
  express.urlencoded({ extended: false, limit: '60mb' }),
  express.raw({ type: 'multipart/form-data', limit: '60mb' }),
];

export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = createSandboxClock();
  const random = createSeededRandom(options.seed);
  const faults = new FaultRegistry();
  const log = new TrafficLog(clock);
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';
  const platforms = new Map<SimulatorName, SandboxPlatform>();
  const context: SandboxContext = {
    users: new VirtualUserStore(random, clock),
    faults,
    log,
    callbacks: new CallbackSender(faults, log, options.callbackTimeoutMs ?? 10_000),
    files: new SandboxFileStore(random, clock, () => baseUrl),
    clock,
    random,
    logger: options.logger,
    baseUrl: () => baseUrl,
    host: options.host,
    ports: { smpp: options.smppPort ?? 0, smtp: options.smtpPort ?? 0 },
    later: (ms, work) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        work().catch((error: unknown) =>
          options.logger.warn({ err: error }, 'sandbox: scheduled work failed'),
        );
      }, ms);
      timers.add(timer);
    },
    scheduleRead: (user, name, messageId) => {
      const platform = platforms.get(name);
      if (user.readDelayMs === null || !platform?.read) return;
      context.later(
        user.readDelayMs,
        () => platform.read?.(user, { platform: name, messageId }) ?? Promise.resolve(),
      );
    },
  };
  for (const factory of options.platforms) {
    const platform = factory(context);
    platforms.set(platform.name, platform);
  }
  const app = express();
  app.disable('x-powered-by');
  app.use('/_sandbox', createControlRouter(context, platforms));
  for (const platform of platforms.values()) {
    if (platform.mountPath && platform.router) {
      app.use(platform.mountPath, ...parsers, observe(context, platform), platform.router);
    }
  }
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Body-parser refusals (malformed JSON, too large): the platforms answer these with a 4xx too.
      return void res.status(status).json({ error: error instanceof Error ? error.message : 'bad request' });
    }
    options.logger.error({ err: error }, 'sandbox: request failed');
    if (!res.headersSent) res.status(500).json({ error: 'sandbox internal error' });
  });
  const server = await listen(app, options.host, options.port);
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host}:${address.port}`;
  try {
    for (const platform of platforms.values()) await platform.start?.();
  } catch (error) {
    // A socket simulator could not listen: release what did start before reporting it.
    for (const platform of platforms.values()) await platform.stop?.().catch(() => {});
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  return {
    url: baseUrl,
    context,
    platforms,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const platform of platforms.values()) await platform.stop?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
