import type { Redis } from 'ioredis';
import type { NormalizedEvent } from '../../adapters/contract';
import type { ChannelRuntime } from '../channels/channel-runtime';
import type { Logger } from '../logging/logger';
import { type QueueFactory, queueNames } from '../queue/queues';
import type { Models } from '../storage/models';
import type { TemplateService } from '../templates/template-service';
import type { BusinessEvents } from '../webhooks-out/business-events';
import { applyPlatformStatus, type StatusApplied } from './attempt-events';
import type { AttemptMovedSink, NotificationContext, SendGuards } from './notification-context';
import { createNotificationLock } from './notification-lock';
import { NotificationService } from './notification-service';
import { sweepNotifications } from './notification-sweeper';
import { type NotificationWorkerOptions, startNotificationWorker } from './notification-worker';
import { applyVerificationAnswer } from './recipient-verification';

export interface NotificationLayerOptions {
  models: Models;
  redis: Redis;
  queues: QueueFactory;
  runtime: ChannelRuntime;
  templates: TemplateService;
  guards: SendGuards;
  events?: BusinessEvents;
  recordDelivered: NotificationContext['recordDelivered'];
  /** Told of every stored attempt move (the inbox's notification records). */
  onAttemptMoved?: AttemptMovedSink;
  /** Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
  allowPrivateCallbacks: boolean;
  logger: Logger;
}

export interface NotificationLayer {
  service: NotificationService;
  context: NotificationContext;
  /**
   * Applies a channel event that concerns a notification (a delivery report). `unmatched` for
   * events about messages notifications did not send (or not yet recorded: retry).
   */
  handleChannelEvent(channelId: string, event: NormalizedEvent): Promise<StatusApplied | 'not-mine'>;
  /** Worker role: runs route steps, TTL timers and the sweeper. */
  startWorker(options: NotificationWorkerOptions): Promise<void>;
  /** One sweep now (tests, and the CLI). */
  sweep(staleAfterMs?: number): Promise<{ checked: number }>;
}

/** Notifications, wired once per process. */
export function createNotificationLayer(options: NotificationLayerOptions): NotificationLayer {
  const queue = options.queues.queue(queueNames.notifications);
  const logger = options.logger.child({ module: 'vestnik:notifications' });
  const context: NotificationContext = {
    models: options.models,
    queue,
    runtime: options.runtime,
    lock: createNotificationLock(options.redis, options.prefix),
    guards: options.guards,
    ...(options.events ? { events: options.events } : {}),
    recordDelivered: options.recordDelivered,
    ...(options.onAttemptMoved ? { onAttemptMoved: options.onAttemptMoved } : {}),
    logger,
  };
  const service = new NotificationService({
    models: options.models,
    queue,
    templates: options.templates,
    allowPrivateCallbacks: options.allowPrivateCallbacks,
    logger,
  });
  return {
    service,
    context,
    async handleChannelEvent(channelId, event) {
      if (event.type === 'button-press' || event.type === 'inbound-message') {
        const answer = event.type === 'button-press' ? event.payload : event.buttonPayload;
        if (answer === undefined) return 'not-mine';
        return applyVerificationAnswer(context, {
          channelId,
          payload: answer,
          fromUserId: event.from.externalUserId,
        });
      }
      if (event.type !== 'status-update') return 'not-mine';
      return applyPlatformStatus(context, {
        channelId,
        externalMessageId: event.externalMessageId,
        status: event.status,
        ...(event.reason ? { reason: event.reason } : {}),
        at: new Date(event.occurredAt),
      });
    },
    startWorker: (workerOptions) => startNotificationWorker(context, options.queues, workerOptions),
    sweep: (staleAfterMs = 0) => sweepNotifications(context, { staleAfterMs }),
  };
}
