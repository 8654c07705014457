import { createSecretBox } from '../channels/secret-box';
import type { Config } from '../config/env-schema';
import type { Logger } from '../logging/logger';
import { type QueueFactory, queueNames } from '../queue/queues';
import type { Models } from '../storage/models';
import type { BusinessEvents } from './business-events';
import { createBusinessEvents } from './business-events-publisher';
import { CallbackSecrets } from './callback-secret';
import { DeliveryLog } from './delivery-log';
import { type SweeperTiming, startDeliveryWorker } from './delivery-worker';
import { WebhookEndpointService } from './endpoint-service';
import { defaultRetrySchedule, type RetrySchedule } from './retry-schedule';
import type { LookupAll } from './ssrf-guard';

/** Knobs with production defaults; tests shorten the retry delays and the sweeper's period. */
export interface WebhookDeliveryTuning extends Partial<SweeperTiming> {
  /** Default: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h… (about 3 days), ±20 % jitter. */
  retrySchedule?: RetrySchedule;
  /** DNS resolution for the SSRF guard (registration and delivery); default: the system resolver. */
  lookup?: LookupAll;
  /** Budget of one attempt; default 15 s. */
  timeoutMs?: number;
  /** Attempts one worker process makes at once; default 50 (they mostly wait on the network). */
  concurrency?: number;
}

export interface WebhooksLayerOptions {
  models: Models;
  queues: QueueFactory;
  /** The same key that seals channel secrets (SECRETS_KEY or DATA_DIR/secrets.key). */
  secretsKey: Buffer;
  /** See {@link webhooksAllowPrivate}. */
  allowPrivate: boolean;
  logger: Logger;
  tuning?: WebhookDeliveryTuning;
}

/** Outbound webhooks to the business, wired once per process. */
export interface WebhooksLayer {
  /** What every module publishes through (API and worker roles alike). */
  events: BusinessEvents;
  endpoints: WebhookEndpointService;
  callbackSecrets: CallbackSecrets;
  deliveries: DeliveryLog;
  /** Worker role: runs delivery jobs and the sweeper. */
  startWorker(): Promise<void>;
}

/**
 * WEBHOOKS_ALLOW_PRIVATE when set; otherwise true in local mode (the embedded database: a demo on
 * one machine delivers to localhost) and false with MONGODB_URI.
 */
export function webhooksAllowPrivate(config: Config, databaseMode: 'embedded' | 'external'): boolean {
  return config.WEBHOOKS_ALLOW_PRIVATE ?? databaseMode === 'embedded';
}

export function createWebhooksLayer(options: WebhooksLayerOptions): WebhooksLayer {
  const { models, queues, allowPrivate, logger } = options;
  const tuning = options.tuning ?? {};
  const box = createSecretBox(options.secretsKey);
  const queue = queues.queue(queueNames.webhookDeliveries);
  const callbackSecrets = new CallbackSecrets({ models, box });
  const endpoints = new WebhookEndpointService({
    models,
    box,
    urlCheck: { allowPrivate, lookup: tuning.lookup },
  });
  return {
    events: createBusinessEvents({ models, queue }),
    endpoints,
    callbackSecrets,
    deliveries: new DeliveryLog({ models, queue, endpoints }),
    async startWorker() {
      await startDeliveryWorker({
        models,
        queues,
        box,
        callbackSecrets,
        allowPrivate,
        logger: logger.child({ module: 'vestnik:webhooks-out' }),
        schedule: tuning.retrySchedule ?? defaultRetrySchedule,
        lookup: tuning.lookup,
        timeoutMs: tuning.timeoutMs,
        concurrency: tuning.concurrency ?? 50,
        sweepEveryMs: tuning.sweepEveryMs ?? 60_000,
        sweepGraceMs: tuning.sweepGraceMs ?? 30_000,
        schedulerRefreshMs: tuning.schedulerRefreshMs ?? 5 * 60_000,
      });
    },
  };
}
