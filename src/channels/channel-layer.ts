import type { Queue } from 'bullmq';
import { type Connection, trusted } from 'mongoose';
import { adapterRegistry } from '../../adapters/registry';
import { AttachmentStore } from '../attachments/attachment-store';
import type { Logger } from '../logging/logger';
import { type QueueFactory, queueNames } from '../queue/queues';
import type { Models } from '../storage/models';
import type { BusinessEvents } from '../webhooks-out/business-events';
import { type ChannelEventListener, startChannelEventWorker } from './channel-event-worker';
import { type ChannelRecord, ChannelRuntime } from './channel-runtime';
import { ChannelService } from './channel-service';
import { createSecretBox } from './secret-box';

export interface ChannelLayer {
  runtime: ChannelRuntime;
  service: ChannelService;
  attachments: AttachmentStore;
  eventsQueue: Queue;
  /**
   * Worker role: processes channel events (passing each to `listeners`) and opens the connections
   * of push channels (SMPP).
   */
  startWorker(attachmentMaxBytes: number, listeners?: readonly ChannelEventListener[]): Promise<void>;
  close(): Promise<void>;
}

export interface ChannelLayerOptions {
  models: Models;
  mongo: Connection;
  queues: QueueFactory;
  secretsKey: Buffer;
  publicUrl: string;
  logger: Logger;
  /** Where inbound messages are published as business events (`message.inbound`). */
  events?: BusinessEvents;
}

/** Channels, their adapters, events and files, wired once per process. */
export function createChannelLayer(options: ChannelLayerOptions): ChannelLayer {
  const { models, queues, logger } = options;
  const box = createSecretBox(options.secretsKey);
  const eventsQueue = queues.queue(queueNames.channelEvents);
  const runtime = new ChannelRuntime({ models, box, publicUrl: options.publicUrl, logger, eventsQueue });
  const service = new ChannelService({
    models,
    box,
    runtime,
    publicUrl: options.publicUrl,
    logger: logger.child({ module: 'vestnik:channels' }),
  });
  const attachments = new AttachmentStore(options.mongo);
  return {
    runtime,
    service,
    attachments,
    eventsQueue,
    async startWorker(attachmentMaxBytes, listeners = []) {
      const workerLogger = logger.child({ module: 'vestnik:channel-events' });
      await startChannelEventWorker({
        queues,
        models,
        runtime,
        attachments,
        attachmentMaxBytes,
        logger: workerLogger,
        events: options.events,
        listeners,
      });
      await connectHeldChannels(models, runtime, workerLogger);
      runtime.holdConnections();
    },
    close: () => runtime.closeAll(),
  };
}

async function connectHeldChannels(models: Models, runtime: ChannelRuntime, logger: Logger): Promise<void> {
  const kinds = Object.values(adapterRegistry)
    .filter((definition) => definition.holdsConnection)
    .map((definition) => definition.kind);
  const channels = (await models.Channel.find({ type: trusted({ $in: kinds }) })
    .lean()
    .exec()) as ChannelRecord[];
  for (const channel of channels) {
    try {
      const result = await runtime.adapterFor(channel).connect();
      logger.info(
        { channelId: String(channel._id), type: channel.type, result: result.webhook },
        'channel connection opened',
      );
    } catch (error) {
      logger.warn(
        { err: error, channelId: String(channel._id) },
        'channel connection failed; the adapter retries',
      );
    }
  }
}
