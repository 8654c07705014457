import type { NormalizedEvent } from '../../adapters/contract';
import type { ChannelEventListener } from '../../src/channels/channel-event-worker';
import type { AnyRoute } from '../../src/http/route-definition';
import type { AttemptMovedSink } from '../../src/notifications/notification-context';
import type { BotAnswerer } from '../bot/bot-answerer';
import { contactRoutes } from '../contacts/contact-routes';
import type { InboxCore } from '../inbox-core';
import { ingestCustomerEvent } from './inbound-messages';
import { applyStatusReport } from './message-status';
import { recordAttemptMove } from './notification-records';

/**
 * The inbox's intake: channel events (customer messages, button presses, delivery reports of
 * inbox replies) and the notifications' sent attempts, recorded in conversations.
 */
export interface InboxIngest {
  /** Runs in the channel event worker, after the built-in handling, for every stored event. */
  listener: ChannelEventListener;
  /** Passed to the notification layer: records sent notifications and follows their statuses. Never throws. */
  onAttemptMoved: AttemptMovedSink;
  /** `/contacts` routes (create with identity claims, list, read, merge). */
  contactRoutes: AnyRoute[];
}

type ListenerInput = Parameters<ChannelEventListener>[0];
type Handler = (
  core: InboxCore,
  input: ListenerInput,
  channelType: string,
  bot: BotAnswerer | null,
) => Promise<'done' | 'claimed'>;

/** What the inbox does with each event type; types without an entry (opt-in / opt-out) are not its business. */
const handlers: Partial<Record<NormalizedEvent['type'], Handler>> = {
  'inbound-message': customerEvent,
  'button-press': customerEvent,
  'status-update': async (core, { workspaceId, channelId, event }) => {
    if (event.type !== 'status-update') return 'done';
    return applyStatusReport(core, {
      workspaceId,
      channelId,
      externalMessageId: event.externalMessageId,
      status: event.status,
      ...(event.reason ? { reason: event.reason } : {}),
      at: new Date(event.occurredAt),
    });
  },
};

async function customerEvent(
  core: InboxCore,
  input: ListenerInput,
  channelType: string,
  bot: BotAnswerer | null,
): Promise<'done'> {
  const { event } = input;
  if (event.type !== 'inbound-message' && event.type !== 'button-press') return 'done';
  await ingestCustomerEvent(core, { ...input, event, channelType, files: input.files ?? [] }, bot);
  return 'done';
}

/** `bot`: answers customer messages in conversations a bot flow serves (none: every conversation is queued). */
export function createInboxIngest(core: InboxCore, bot: BotAnswerer | null = null): InboxIngest {
  const logger = core.logger.child({ module: 'vestnik:inbox:ingest' });
  return {
    async listener(input) {
      const handler = handlers[input.event.type];
      if (!handler) return 'done';
      const channel = await core.channels.runtime.lookup(input.channelId);
      if (!channel || String(channel.workspaceId) !== input.workspaceId) return 'done';
      return handler(core, input, channel.type, bot);
    },
    async onAttemptMoved(move) {
      try {
        await recordAttemptMove(core, move);
      } catch (error) {
        logger.warn(
          { err: error, attemptId: move.attemptId, status: move.status },
          'notification record failed',
        );
      }
    },
    contactRoutes: contactRoutes(core),
  };
}
