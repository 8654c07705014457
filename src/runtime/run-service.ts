import type { Server } from 'node:http';
import { createApiKeyVerifier } from '../auth/api-keys';
import { apiKeyPrefixOf, publishRevocation, subscribeRevocations } from '../auth/credential-revocations';
import type { Config } from '../config/env-schema';
import { publicUrl } from '../config/load-config';
import { ensureDemoWorkspace } from '../demo/seed-demo';
import { startHousekeeping } from '../housekeeping/housekeeping-worker';
import { createApp } from '../http/app';
import { createAuthenticator } from '../http/authenticate';
import { createHttpMetrics } from '../http/http-metrics';
import type { Logger } from '../logging/logger';
import { createQueueFactory } from '../queue/queues';
import { createSocketGateway, type SocketGateway } from '../realtime/socket-gateway';
import { drain, listen } from './http-server';
import { type Infrastructure, openInfrastructure } from './infrastructure';
import { type LocalFile, readLocalFile, writeLocalFile } from './local-file';

export type Role = 'start' | 'serve' | 'worker';

export interface RunningService {
  /** Base URL of the HTTP API (serve and start roles). */
  url?: string;
  infrastructure: Infrastructure;
  local?: LocalFile;
  /** Clean shutdown within the configured budget: stop accepting, drain, hand jobs back, disconnect. */
  stop(): Promise<void>;
}

export interface RunServiceOptions {
  config: Config;
  logger: Logger;
  version: string;
  /** Human-facing lines (build progress, the ready banner). */
  print: (line: string) => void;
}

export async function runService(role: Role, options: RunServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const started = Date.now();
  const infra = await openInfrastructure({ config, logger, ownerKind: 'service', onProgress: options.print });
  const queues = createQueueFactory(infra.redis, {
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    logger: logger.child({ module: 'vestnik:queue' }),
  });
  const stoppers: Array<() => Promise<void>> = [];
  let url: string | undefined;
  let local: LocalFile | undefined;
  try {
    if (role !== 'worker') {
      const http = await startHttp(infra, options);
      url = http.url;
      stoppers.push(http.stop);
    }
    if (role !== 'serve') {
      await startHousekeeping(queues, infra.models, logger.child({ module: 'vestnik:housekeeping' }));
    }
    if (url && infra.databaseMode === 'embedded') {
      local = await writeLocalState(infra, config, url);
    }
  } catch (error) {
    await Promise.allSettled(stoppers.map((stop) => stop()));
    await queues.close(0);
    await infra.close();
    throw error;
  }
  logger.info({ role, ms: Date.now() - started, databaseMode: infra.databaseMode }, 'vestnik ready');
  printBanner(options.print, role, url, local, config, Date.now() - started);
  return {
    url,
    infrastructure: infra,
    local,
    async stop() {
      // HTTP drain and workers stop together, within the budget; a job still running when the
      // budget is spent goes back to the queue (forced close) before connections are closed.
      const graceMs = config.SHUTDOWN_TIMEOUT_MS - 1500;
      await Promise.all([...stoppers.map((stop) => stop()), queues.close(graceMs)]);
      await infra.close();
    },
  };
}

async function startHttp(infra: Infrastructure, options: RunServiceOptions) {
  const { config, logger } = options;
  const apiKeys = createApiKeyVerifier(infra.models, config.AUTH_CACHE_MS);
  const auth = createAuthenticator(infra.models, apiKeys);
  let gateway: SocketGateway | undefined;
  const unsubscribe = await subscribeRevocations(infra.redis, config.QUEUE_PREFIX, (credentialId) => {
    const keyPrefix = apiKeyPrefixOf(credentialId);
    if (keyPrefix) apiKeys.evict(keyPrefix);
    gateway?.dropCredential(credentialId);
  });
  let server: Server | undefined;
  try {
    const bound = await listen(config.HOST, config.PORT);
    server = bound.server;
    // The app is attached once the port, and so the public URL (PORT=0 picks one), is known.
    const url = publicUrl(config, bound.port);
    server.on(
      'request',
      createApp({
        config,
        logger,
        models: infra.models,
        mongo: infra.mongo,
        redis: infra.redis,
        auth,
        metrics: createHttpMetrics(),
        onCredentialRevoked: (credentialId: string) =>
          publishRevocation(infra.redis, config.QUEUE_PREFIX, credentialId),
        publicUrl: url,
        version: options.version,
      }),
    );
    const realtime = createSocketGateway(server, {
      redis: infra.redis,
      auth,
      logger: logger.child({ module: 'vestnik:realtime' }),
      keyPrefix: config.QUEUE_PREFIX,
      trustProxy: config.TRUST_PROXY,
    });
    gateway = realtime;
    const httpServer = server;
    return {
      url,
      async stop() {
        const closing = drain(httpServer, Math.min(5000, config.SHUTDOWN_TIMEOUT_MS / 2));
        await realtime.close();
        await closing;
        await unsubscribe();
      },
    };
  } catch (error) {
    server?.close();
    await unsubscribe();
    throw error;
  }
}

async function writeLocalState(infra: Infrastructure, config: Config, url: string): Promise<LocalFile> {
  const previous = await readLocalFile(config.DATA_DIR);
  const demo = config.DEMO_SEED ? await ensureDemoWorkspace(infra.models, previous?.demo ?? null) : null;
  const local: LocalFile = {
    startedAt: new Date().toISOString(),
    pid: process.pid,
    urls: {
      api: `${url}/v1`,
      docs: `${url}/docs`,
      health: `${url}/healthz`,
      ready: `${url}/readyz`,
      socket: url,
    },
    demo,
  };
  await writeLocalFile(config.DATA_DIR, local);
  return local;
}

function printBanner(
  print: (line: string) => void,
  role: Role,
  url: string | undefined,
  local: LocalFile | undefined,
  config: Config,
  ms: number,
): void {
  const mode = config.MONGODB_URI ? 'MongoDB' : 'local mode, embedded FerretDB';
  print(`Vestnik ${role} ready in ${(ms / 1000).toFixed(1)} s (${mode})`);
  if (url) {
    print(`  API            ${url}/v1`);
    print(`  API reference  ${url}/docs`);
    print(`  Readiness      ${url}/readyz`);
  }
  if (local?.demo) {
    print(`  Demo API key   ${local.demo.apiKey}`);
    print(`  Operator login ${local.demo.operator.email} / ${local.demo.operator.password}`);
  }
  if (local) print(`  Written to     ${config.DATA_DIR}/local.json`);
  print('Stop with Ctrl+C (SIGINT) or SIGTERM.');
}
