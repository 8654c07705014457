import type { Server } from 'node:http';
import { seedDemoFlows } from '../../inbox/bot/demo-flows';
import { flowFolderPath } from '../../inbox/bot/flow-folder';
import { createInboxLayer, type InboxLayer } from '../../inbox/inbox-layer';
import { createApiKeyVerifier } from '../auth/api-keys';
import { apiKeyPrefixOf, publishRevocation, subscribeRevocations } from '../auth/credential-revocations';
import { type ChannelLayer, createChannelLayer } from '../channels/channel-layer';
import type { ChannelService } from '../channels/channel-service';
import { resolveSecretsKey } from '../channels/secrets-key';
import type { Config } from '../config/env-schema';
import { publicUrl } from '../config/load-config';
import { ensureDemoChannels } from '../demo/demo-channels';
import { ensureDemoRoute } from '../demo/demo-route';
import { demoCardOperationTemplate, ensureDemoTemplate } from '../demo/demo-template';
import { ensureDemoWorkspace } from '../demo/seed-demo';
import { startHousekeeping } from '../housekeeping/housekeeping-worker';
import { createApp } from '../http/app';
import { createAuthenticator } from '../http/authenticate';
import { createHttpMetrics } from '../http/http-metrics';
import type { Logger } from '../logging/logger';
import type { NotificationLayer } from '../notifications/notification-layer';
import { notificationEventListener, wireNotifications } from '../notifications/wire-notifications';
import { createQueueFactory, type QueueFactory } from '../queue/queues';
import { createSocketGateway, type SocketGateway } from '../realtime/socket-gateway';
import { type RunningSandbox, socketAddress, startSandbox } from '../sandbox/run-sandbox';
import { trustedWorkspaceId } from '../storage/tenant-repository';
import { PlatformModeration } from '../templates/platform-moderation';
import { startTemplateModeration } from '../templates/template-moderation-worker';
import {
  createWebhooksLayer,
  type WebhooksLayer,
  webhooksAllowPrivate,
} from '../webhooks-out/webhooks-layer';
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
    jobLockMs: config.JOB_LOCK_MS,
    logger: logger.child({ module: 'vestnik:queue' }),
  });
  const stoppers: Array<() => Promise<void>> = [];
  let url: string | undefined;
  let local: LocalFile | undefined;
  try {
    const secretsKey = await resolveSecretsKey({
      configured: config.SECRETS_KEY,
      dataDir: config.DATA_DIR,
      databaseMode: infra.databaseMode,
    });
    const webhooks = createWebhooksLayer({
      ...layerInputs(infra, queues, secretsKey, logger),
      allowPrivate: webhooksAllowPrivate(config, infra.databaseMode),
    });
    const previous = infra.databaseMode === 'embedded' ? await readLocalFile(config.DATA_DIR) : null;
    const boot = (previous?.sandbox?.boot ?? 0) + 1;
    const sandbox = sandboxWanted(role, config, infra) ? await startSandbox(config, logger, boot) : null;
    if (sandbox) stoppers.push(() => sandbox.close());
    let channels: ChannelLayer;
    let notifications: NotificationLayer;
    let inbox: InboxLayer;
    if (role !== 'worker') {
      const http = await startHttp(infra, options, queues, secretsKey, webhooks);
      url = http.url;
      channels = http.channels;
      notifications = http.notifications;
      inbox = http.inbox;
      stoppers.push(http.stop);
    } else {
      channels = createChannelLayer({
        ...layerInputs(infra, queues, secretsKey, logger),
        publicUrl: publicUrl(config, config.PORT),
        events: webhooks.events,
      });
      inbox = inboxOf(infra, config, queues, channels, webhooks, logger);
      notifications = notificationsOf(infra, config, queues, channels, webhooks, inbox, logger);
    }
    stoppers.push(() => channels.close());
    await inbox.botFlows.start();
    stoppers.push(() => inbox.botFlows.stop());
    const moderation = platformModerationOf(infra, channels, webhooks, logger);
    if (role !== 'serve') {
      await startHousekeeping(queues, infra.models, logger.child({ module: 'vestnik:housekeeping' }));
    }
    if (url && infra.databaseMode === 'embedded') {
      const extras = { sandbox, channels: channels.service, moderation };
      local = await writeLocalState(infra, config, url, extras, logger);
    }
    if (role !== 'serve') {
      await channels.startWorker(config.ATTACHMENT_MAX_BYTES, [
        notificationEventListener(notifications),
        inbox.listener,
      ]);
      await notifications.startWorker({ concurrency: Math.max(config.WORKER_CONCURRENCY, 32) });
      await inbox.startWorker();
    }
    if (role !== 'serve') await webhooks.startWorker();
    if (role !== 'serve') await startTemplateModeration({ queues, moderation, logger });
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

function notificationsOf(
  infra: Infrastructure,
  config: Config,
  queues: QueueFactory,
  channels: ChannelLayer,
  webhooks: WebhooksLayer,
  inbox: InboxLayer,
  logger: Logger,
): NotificationLayer {
  return wireNotifications({
    models: infra.models,
    redis: infra.redis,
    queues,
    channels,
    config,
    events: webhooks.events,
    allowPrivateCallbacks: webhooksAllowPrivate(config, infra.databaseMode),
    onAttemptMoved: inbox.ingest.onAttemptMoved,
    logger,
  });
}

function inboxOf(
  infra: Infrastructure,
  config: Config,
  queues: QueueFactory,
  channels: ChannelLayer,
  webhooks: WebhooksLayer,
  logger: Logger,
): InboxLayer {
  return createInboxLayer({
    models: infra.models,
    redis: infra.redis,
    queues,
    channels,
    config,
    events: webhooks.events,
    logger: logger.child({ module: 'vestnik:inbox' }),
  });
}

function platformModerationOf(
  infra: Infrastructure,
  channels: ChannelLayer,
  webhooks: WebhooksLayer,
  logger: Logger,
): PlatformModeration {
  const { models } = infra;
  const moderationLogger = logger.child({ module: 'vestnik:templates' });
  return new PlatformModeration({
    models,
    runtime: channels.runtime,
    logger: moderationLogger,
    events: webhooks.events,
  });
}

function layerInputs(infra: Infrastructure, queues: QueueFactory, secretsKey: Buffer, logger: Logger) {
  return { models: infra.models, mongo: infra.mongo, queues, secretsKey, logger };
}

/** The sandbox runs inside `start` when asked, or by default in local mode (never beside an external database unless SANDBOX=on). */
function sandboxWanted(role: Role, config: Config, infra: Infrastructure): boolean {
  if (role !== 'start' || config.SANDBOX === 'off') return false;
  return config.SANDBOX === 'on' || infra.databaseMode === 'embedded';
}

async function startHttp(
  infra: Infrastructure,
  options: RunServiceOptions,
  queues: QueueFactory,
  secretsKey: Buffer,
  webhooks: WebhooksLayer,
) {
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
    const channels = createChannelLayer({
      ...layerInputs(infra, queues, secretsKey, logger),
      publicUrl: url,
      events: webhooks.events,
    });
    const inbox = inboxOf(infra, config, queues, channels, webhooks, logger);
    const notifications = notificationsOf(infra, config, queues, channels, webhooks, inbox, logger);
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
        channels,
        webhooks,
        notifications,
        inbox,
      }),
    );
    const realtime = createSocketGateway(server, {
      redis: infra.redis,
      auth,
      logger: logger.child({ module: 'vestnik:realtime' }),
      keyPrefix: config.QUEUE_PREFIX,
      trustProxy: config.TRUST_PROXY,
      onConnection: inbox.attachSocket,
    });
    gateway = realtime;
    const httpServer = server;
    return {
      url,
      channels,
      notifications,
      inbox,
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

async function writeLocalState(
  infra: Infrastructure,
  config: Config,
  url: string,
  extras: {
    sandbox: (RunningSandbox & { boot: number }) | null;
    channels: ChannelService;
    moderation: PlatformModeration;
  },
  logger: Logger,
): Promise<LocalFile> {
  const previous = await readLocalFile(config.DATA_DIR);
  const demo = config.DEMO_SEED ? await ensureDemoWorkspace(infra.models, previous?.demo ?? null) : null;
  const flowsDir = flowFolderPath(config);
  if (demo && flowsDir) {
    await seedDemoFlows(flowsDir).catch((error: unknown) =>
      logger.warn({ err: error }, 'demo bot flows not seeded'),
    );
  }
  const wired =
    extras.sandbox && demo
      ? await ensureDemoChannels({
          sandbox: extras.sandbox,
          channels: extras.channels,
          workspaceId: trustedWorkspaceId(demo.workspaceId),
          logger,
        })
      : null;
  const template = demo
    ? await ensureDemoTemplate({
        models: infra.models,
        workspaceId: trustedWorkspaceId(demo.workspaceId),
        moderation: wired ? extras.moderation : undefined,
      })
    : null;
  if (demo) {
    await ensureDemoTemplate({
      models: infra.models,
      workspaceId: trustedWorkspaceId(demo.workspaceId),
      moderation: wired ? extras.moderation : undefined,
      template: demoCardOperationTemplate,
    });
  }
  if (demo && wired) await ensureDemoRoute(infra.models, trustedWorkspaceId(demo.workspaceId));
  const sandbox = extras.sandbox
    ? {
        url: extras.sandbox.url,
        boot: extras.sandbox.boot,
        control: `${extras.sandbox.url}/_sandbox`,
        smpp: socketAddress(extras.sandbox, 'sms'),
        smtp: socketAddress(extras.sandbox, 'email'),
        channels: wired?.channels ?? [],
        users: wired?.users ?? [],
      }
    : null;
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
    sandbox,
    demo: demo ? { ...demo, template } : null,
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
    print(`  Operator inbox ${url}/`);
    print(`  API reference  ${url}/docs`);
    print(`  Readiness      ${url}/readyz`);
  }
  if (local?.demo) {
    print(`  Demo API key   ${local.demo.apiKey}`);
    print(`  Operator login ${local.demo.operator.email} / ${local.demo.operator.password}`);
  }
  if (local?.sandbox) {
    print(
      `  Sandbox        ${local.sandbox.control}/info (SMPP ${local.sandbox.smpp}, SMTP ${local.sandbox.smtp})`,
    );
    print(`  Demo channels  ${local.sandbox.channels.map((channel) => channel.type).join(', ') || 'none'}`);
  }
  const flows = flowFolderPath(config);
  if (flows)
    print(
      `  Bot flows      ${flows} (edits reload at once; try: npx vestnik bot chat ${flows}/demo/shop-faq.yaml)`,
    );
  if (local) print(`  Written to     ${config.DATA_DIR}/local.json`);
  print('Stop with Ctrl+C (SIGINT) or SIGTERM.');
}
