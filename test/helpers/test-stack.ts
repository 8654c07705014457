import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { createInboxLayer, type InboxLayer } from '../../inbox/inbox-layer';
import { type ApiKeyVerifier, createApiKeyVerifier } from '../../src/auth/api-keys';
import {
  apiKeyPrefixOf,
  publishRevocation,
  subscribeRevocations,
} from '../../src/auth/credential-revocations';
import { type ChannelLayer, createChannelLayer } from '../../src/channels/channel-layer';
import type { Config } from '../../src/config/env-schema';
import { loadConfig } from '../../src/config/load-config';
import { createApp } from '../../src/http/app';
import { type Authenticator, createAuthenticator } from '../../src/http/authenticate';
import { createHttpMetrics } from '../../src/http/http-metrics';
import { createLogger, type Logger } from '../../src/logging/logger';
import type { NotificationLayer } from '../../src/notifications/notification-layer';
import { notificationEventListener, wireNotifications } from '../../src/notifications/wire-notifications';
import { createQueueFactory, type QueueFactory } from '../../src/queue/queues';
import { connectRedis } from '../../src/queue/redis-connection';
import { createModels, type Models } from '../../src/storage/models';
import { connectMongo } from '../../src/storage/mongo-connection';
import type { BusinessEvents } from '../../src/webhooks-out/business-events';
import {
  createWebhooksLayer,
  type WebhookDeliveryTuning,
  type WebhooksLayer,
  webhooksAllowPrivate,
} from '../../src/webhooks-out/webhooks-layer';

export interface TestStack {
  config: Config;
  env: Record<string, string>;
  logger: Logger;
  /** Every line logged so far (after redaction), for assertions on what reaches logs. */
  logLines: string[];
  mongo: Connection;
  models: Models;
  redis: Redis;
  apiKeys: ApiKeyVerifier;
  auth: Authenticator;
  app: Express;
  queues: QueueFactory;
  channels: ChannelLayer;
  /** Outbound webhooks (endpoints, deliveries, the delivery worker). */
  webhooks: WebhooksLayer;
  /** `webhooks.events`: what modules publish business events through. */
  events: BusinessEvents;
  notifications: NotificationLayer;
  inbox: InboxLayer;
  /** Starts the channel-events worker in this process (what `vestnik worker` runs). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** The database server of this run (FerretDB from global setup, or MONGODB_URI). */
export function testMongoUri(): string {
  const uri = process.env.VESTNIK_TEST_MONGODB_URI;
  if (!uri)
    throw new Error(
      'integration tests need the global setup (run them through jest --selectProjects integration)',
    );
  return uri;
}

/** A unique, valid database name / queue prefix for one test file. */
export function uniqueName(label: string): string {
  const run = process.env.VESTNIK_TEST_RUN_ID ?? 'local';
  const slug = label
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 20)
    .toLowerCase();
  return `t_${run}_${slug}_${randomBytes(3).toString('hex')}`;
}

/** Knobs of the stack's components that no environment variable sets. */
export interface TestStackOptions {
  /** Shorter retry delays, a fake resolver, a faster sweeper… for the webhook delivery worker. */
  webhooks?: WebhookDeliveryTuning;
}

/**
 * A real Vestnik app on its own fresh database and Redis key prefix. `close()` drops the database
 * and deletes the Redis keys, so test files never see each other's data.
 */
export async function createTestStack(
  label: string,
  overrides: Record<string, string> = {},
  options: TestStackOptions = {},
): Promise<TestStack> {
  const name = uniqueName(label);
  const env: Record<string, string> = {
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: name,
    QUEUE_PREFIX: name.replaceAll('_', '-'),
    LOG_LEVEL: 'info',
    AUTH_CACHE_MS: '10000',
    // Suites fire many requests with one key; the request rate limit has its own tests.
    API_RATE_LIMIT_PER_SECOND: '100000',
    API_RATE_LIMIT_BURST: '100000',
    ...overrides,
  };
  const config = loadConfig(env);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: config.LOG_LEVEL, destination });
  const mongo = await connectMongo({ uri: testMongoUri(), dbName: name });
  const models = await createModels(mongo);
  const redis = await connectRedis(config.REDIS_URL, logger);
  const apiKeys = createApiKeyVerifier(models, config.AUTH_CACHE_MS);
  const auth = createAuthenticator(models, apiKeys);
  const unsubscribe = await subscribeRevocations(redis, config.QUEUE_PREFIX, (credentialId) => {
    const keyPrefix = apiKeyPrefixOf(credentialId);
    if (keyPrefix) apiKeys.evict(keyPrefix);
  });
  const queues = createQueueFactory(redis, { prefix: config.QUEUE_PREFIX, concurrency: 4, logger });
  const publicUrl = overrides.PUBLIC_URL ?? 'http://127.0.0.1:0';
  const secretsKey = randomBytes(32);
  const webhooks = createWebhooksLayer({
    models,
    queues,
    secretsKey,
    allowPrivate: webhooksAllowPrivate(config, 'external'),
    logger,
    tuning: options.webhooks,
  });
  const channels = createChannelLayer({
    models,
    mongo,
    queues,
    secretsKey,
    events: webhooks.events,
    publicUrl,
    logger,
  });
  const inbox = createInboxLayer({
    models,
    redis,
    queues,
    channels,
    config,
    events: webhooks.events,
    logger,
  });
  await inbox.botFlows.start();
  const notifications = wireNotifications({
    models,
    redis,
    queues,
    channels,
    config,
    events: webhooks.events,
    allowPrivateCallbacks: webhooksAllowPrivate(config, 'external'),
    onAttemptMoved: inbox.ingest.onAttemptMoved,
    logger,
  });
  const app = createApp({
    config,
    logger,
    models,
    mongo,
    redis,
    auth,
    metrics: createHttpMetrics(),
    onCredentialRevoked: (credentialId) => publishRevocation(redis, config.QUEUE_PREFIX, credentialId),
    publicUrl,
    version: 'test',
    channels,
    webhooks,
    notifications,
    inbox,
  });
  return {
    config,
    env,
    logger,
    logLines,
    mongo,
    models,
    redis,
    apiKeys,
    auth,
    app,
    queues,
    channels,
    webhooks,
    events: webhooks.events,
    notifications,
    inbox,
    async startWorkers() {
      await channels.startWorker(config.ATTACHMENT_MAX_BYTES, [
        notificationEventListener(notifications),
        inbox.listener,
      ]);
      await notifications.startWorker({ concurrency: 16, sweepEveryMs: 60_000 });
      await inbox.startWorker();
      await webhooks.startWorker();
    },
    async close() {
      await inbox.botFlows.stop();
      await channels.close();
      await queues.close(1000);
      await unsubscribe();
      await mongo.dropDatabase();
      await mongo.close();
      await deleteKeys(redis, `${config.QUEUE_PREFIX}*`);
      await redis.quit();
    },
  };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
