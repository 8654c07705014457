import type { Redis } from 'ioredis';
import type { ChannelEventListener } from '../channels/channel-event-worker';
import type { ChannelLayer } from '../channels/channel-layer';
import type { Config } from '../config/env-schema';
import type { Logger } from '../logging/logger';
import type { QueueFactory } from '../queue/queues';
import type { Models } from '../storage/models';
import { TemplateService } from '../templates/template-service';
import { recordDelivered } from '../usage/record-delivered';
import type { BusinessEvents } from '../webhooks-out/business-events';
import type { AttemptMovedSink } from './notification-context';
import { createNotificationLayer, type NotificationLayer } from './notification-layer';
import { createSendGuards } from './send-guards';

/** The notification layer as `serve`, `worker` and the tests build it from configuration. */
export function wireNotifications(input: {
  models: Models;
  redis: Redis;
  queues: QueueFactory;
  channels: ChannelLayer;
  config: Config;
  events?: BusinessEvents;
  /** Whether `callbackUrl` may point at private addresses (`webhooksAllowPrivate`). */
  allowPrivateCallbacks: boolean;
  /** Told of every stored attempt move (the inbox records sent notifications in conversations). */
  onAttemptMoved?: AttemptMovedSink;
  logger: Logger;
}): NotificationLayer {
  const { config } = input;
  return createNotificationLayer({
    models: input.models,
    redis: input.redis,
    queues: input.queues,
    runtime: input.channels.runtime,
    templates: new TemplateService(input.models),
    guards: createSendGuards({ models: input.models, redis: input.redis, prefix: config.QUEUE_PREFIX }),
    ...(input.events ? { events: input.events } : {}),
    recordDelivered: (attempt) => recordDelivered(input.models, attempt),
    prefix: config.QUEUE_PREFIX,
    allowPrivateCallbacks: input.allowPrivateCallbacks,
    ...(input.onAttemptMoved ? { onAttemptMoved: input.onAttemptMoved } : {}),
    logger: input.logger,
  });
}

/** Hands delivery reports to the notifications; a report that overtook its send is retried. */
export function notificationEventListener(layer: NotificationLayer): ChannelEventListener {
  return async ({ channelId, event }) => {
    const outcome = await layer.handleChannelEvent(channelId, event);
    return outcome === 'unmatched' ? 'retry' : 'done';
  };
}
