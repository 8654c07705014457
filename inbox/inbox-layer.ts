import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io';
import type { Principal } from '../src/auth/principal';
import type { ChannelEventListener } from '../src/channels/channel-event-worker';
import type { ChannelLayer } from '../src/channels/channel-layer';
import type { Config } from '../src/config/env-schema';
import type { AnyRoute } from '../src/http/route-definition';
import type { Logger } from '../src/logging/logger';
import type { QueueFactory } from '../src/queue/queues';
import type { Models } from '../src/storage/models';
import type { BusinessEvents } from '../src/webhooks-out/business-events';
import type { AnyInboxAction } from './actions/inbox-action';
import { createBotAnswerer } from './bot/bot-answerer';
import { type BotFlowsLayer, createBotFlowsLayer } from './bot/bot-flows-layer';
import { createConversationLock } from './conversations/conversation-lock';
import { createOperatorApi } from './conversations/operator-api';
import type { InboxCore } from './inbox-core';
import { createInboxIngest, type InboxIngest } from './ingest/inbox-ingest';
import { createInboxEvents, type InboxEvents } from './realtime/inbox-events';
import { createInboxRealtime } from './realtime/inbox-realtime';

export interface InboxLayerDeps {
  models: Models;
  redis: Redis;
  queues: QueueFactory;
  channels: ChannelLayer;
  config: Config;
  events?: BusinessEvents;
  logger: Logger;
}

/**
 * The unified inbox: contacts and conversations built from inbound channel events, operator
 * actions over HTTP and socket.io, real-time events with a per-workspace sequence, reply sending
 * and auto-assignment. `serve` mounts `routes` and `attachSocket`; `worker` runs `listener`
 * (through the channel event worker) and `startWorker`; `start` does both.
 */
export interface InboxLayer {
  events: InboxEvents;
  /** HTTP routes under /v1 (conversations, messages, canned responses, export, contacts). */
  routes: AnyRoute[];
  /** Operator actions, the same list the HTTP routes and the socket handler run. */
  actions: AnyInboxAction[];
  /** Ingests inbound messages, button presses and delivery reports of inbox messages. */
  listener: ChannelEventListener;
  /** Records what notifications send in the recipients' conversations. */
  ingest: InboxIngest;
  /** Socket handlers for one authenticated connection (rooms, sync, typing, actions). */
  attachSocket(socket: Socket, principal: Principal): void;
  /**
   * Bot flows: `/v1/bot-flows` (in `routes`), the registry the bot asks which flow serves a
   * turn, and the local flows folder. Every role runs `botFlows.start()` (folder watch, changes
   * from other processes).
   */
  botFlows: BotFlowsLayer;
  /** Reply sender and assignment jobs (worker and start roles). */
  startWorker(): Promise<void>;
}

export function createInboxLayer(deps: InboxLayerDeps): InboxLayer {
  const prefix = deps.config.QUEUE_PREFIX;
  const base = {
    models: deps.models,
    redis: deps.redis,
    queues: deps.queues,
    channels: deps.channels,
    config: deps.config,
    ...(deps.events ? { businessEvents: deps.events } : {}),
    lock: createConversationLock(deps.redis, prefix),
    logger: deps.logger,
  };
  const realtime = createInboxRealtime({
    ...base,
    events: createInboxEvents({ models: deps.models, redis: deps.redis, prefix }),
  });
  const core: InboxCore = { ...base, events: realtime.events };
  const botFlows = createBotFlowsLayer(deps);
  const bot = createBotAnswerer(core, { registry: botFlows.registry, recordTurn: botFlows.recordTurn });
  const ingest = createInboxIngest(core, bot);
  const operatorApi = createOperatorApi(core);
  return {
    events: core.events,
    routes: [...operatorApi.routes, ...realtime.routes, ...botFlows.routes],
    botFlows,
    actions: operatorApi.actions,
    listener: ingest.listener,
    ingest,
    attachSocket: (socket, principal) => realtime.attachSocket(socket, principal, operatorApi.actions),
    async startWorker() {
      await realtime.startWorker();
      await operatorApi.startWorker();
    },
  };
}
