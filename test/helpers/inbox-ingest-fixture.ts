import type { StoredConversation } from '../../inbox/conversations/conversation-view';
import type { StoredMessage } from '../../inbox/messages/message-view';
import type { InboxEventEnvelope } from '../../inbox/realtime/inbox-events';
import { eventually } from '../contract/helpers/sandbox-control';
import type { NotificationFixture } from './notification-fixture';

/**
 * Reads of the inbox's stored state for ingest tests on top of `notification-fixture`: messages
 * and conversations as the ingest left them, and the inbox events published since a seq.
 */
export function inboxProbe(fx: NotificationFixture) {
  const { models } = fx.stack;
  const workspaceId = fx.workspaceId;
  const events = (since: number) => fx.stack.inbox.events.since(workspaceId, since, 10_000);
  return {
    /**
     * Waits for the message matching `filter` in the fixture's workspace and for its
     * `message.created` event (published once its conversation was updated).
     */
    async message(filter: Record<string, unknown>, what: string, timeoutMs = 20_000): Promise<StoredMessage> {
      const found = await eventually(
        async () =>
          ((await models.InboxMessage.findOne({ workspaceId, ...filter })
            .lean()
            .exec()) as StoredMessage | null) ?? undefined,
        what,
        timeoutMs,
      );
      await eventually(
        async () =>
          (await models.InboxEvent.exists({
            workspaceId,
            type: 'message.created',
            'data.id': String(found._id),
          }).exec()) ?? undefined,
        `the message.created event of ${what}`,
        timeoutMs,
      );
      return found;
    },
    messages(filter: Record<string, unknown>): Promise<StoredMessage[]> {
      return models.InboxMessage.find({ workspaceId, ...filter })
        .sort({ _id: 1 })
        .lean()
        .exec() as Promise<StoredMessage[]>;
    },
    async conversation(id: unknown): Promise<StoredConversation> {
      const doc = (await models.Conversation.findById(id).lean().exec()) as StoredConversation | null;
      if (!doc) throw new Error(`no conversation ${String(id)}`);
      return doc;
    },
    /** The conversation of a fixture channel's chat, once it exists. */
    chat(type: string, externalChatId: string): Promise<StoredConversation> {
      return eventually(
        async () =>
          ((await models.Conversation.findOne({ workspaceId, channelId: fx.channels[type], externalChatId })
            .lean()
            .exec()) as StoredConversation | null) ?? undefined,
        `the ${type} conversation ${externalChatId}`,
        20_000,
      );
    },
    seq(): Promise<number> {
      return fx.stack.inbox.events.currentSeq(workspaceId);
    },
    events,
    /** Waits until the events after `since` include one matching `match`; returns them all. */
    eventsUntil(
      since: number,
      match: (event: InboxEventEnvelope) => boolean,
      what: string,
    ): Promise<InboxEventEnvelope[]> {
      return eventually(
        async () => {
          const found = await events(since);
          return found.some(match) ? found : undefined;
        },
        what,
        20_000,
      );
    },
  };
}
