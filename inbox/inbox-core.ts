import type { Redis } from 'ioredis';
import type { ChannelLayer } from '../src/channels/channel-layer';
import type { Config } from '../src/config/env-schema';
import type { Logger } from '../src/logging/logger';
import type { QueueFactory } from '../src/queue/queues';
import type { Models } from '../src/storage/models';
import type { BusinessEvents } from '../src/webhooks-out/business-events';
import type { ConversationLock } from './conversations/conversation-lock';
import type { InboxEvents } from './realtime/inbox-events';

/** What every inbox part is built from (one per process). */
export interface InboxCore {
  models: Models;
  redis: Redis;
  queues: QueueFactory;
  channels: ChannelLayer;
  config: Config;
  /** Business webhooks (`message.inbound` is published by the channel event worker already). */
  businessEvents?: BusinessEvents;
  /** Inbox events to operators (stored with a per-workspace seq, emitted to sockets). */
  events: InboxEvents;
  /** Per-conversation Redis lock: hold it for every read-modify-write of a conversation. */
  lock: ConversationLock;
  logger: Logger;
}
