import { validateContent } from '../../adapters/contract';
import { type BotTurnResult, type RenderedReply, renderReply, runTurn } from '../../bot-flows/engine';
import { queueNames } from '../../src/queue/queues';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { announceHandOff, handOffFields } from '../assignment/hand-off';
import type { StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import { appendMessage, type NewMessage, previewOf } from '../ingest/append-message';
import { storedButtons } from '../messages/message-buttons';
import type { StoredMessage } from '../messages/message-view';
import { liveReplyChannel, type ReplyChannel } from '../replies/reply-channel';
import { enqueueReply } from '../replies/reply-jobs';
import { createReplySender, RetryableReplyError } from '../replies/reply-sender';
import { recordHandoffLine } from './bot-thread-lines';
import { storedSessionText, turnInputOf } from './bot-turn-input';
import type { ActiveFlow, FlowRegistry } from './flow-registry-port';

/** What the bot's first reply is sent with: the conversation and channel the turn has just read. */
type SendContext = { conversation: StoredConversation; channel: ReplyChannel };

/** One bot turn, as the report of unanswered questions keeps it. */
export interface BotTurnRecord {
  workspaceId: string;
  flowName: string;
  flowVersion: number;
  conversationId: string;
  channelId: string;
  outcome: BotTurnResult['outcome'];
  entryId: string | null;
  confidence: number;
  normalized: string;
  text: string;
  at: Date;
}

export interface BotAnswererDeps {
  registry: FlowRegistry;
  /** Keeps each turn for the report; failures are logged, never fatal. */
  recordTurn?: (turn: BotTurnRecord) => Promise<void>;
}

/**
 * The bot inside ingest: which flow serves a customer's message, and the flow's answer to it.
 * Ingest asks `servesChannel` when it creates a conversation, `flowFor` before it stores a message
 * (so the conversation enters `bot` or the queue), and `answer` after.
 */
export interface BotAnswerer {
  servesChannel(workspaceId: string, channel: { id: string; type: string }): Promise<boolean>;
  flowFor(conversation: StoredConversation, replyToTemplate: string | null): Promise<ActiveFlow | null>;
  /**
   * Runs the flow's turn for a stored customer message and carries it out: the session is saved,
   * each reply is rendered for the channel, stored once (`bot:<message id>:<n>`, so a repeat of
   * the event answers nothing twice), announced and sent at once (retried by the reply worker when
   * the platform is unreachable); a hand-off moves the conversation to the queue with a thread
   * line saying why (written with the turn, announced after the replies). The turn runs only while
   * the conversation is in state `bot`, checked under its lock; its replies are stored after the
   * lock, so an operator who takes the conversation in that moment may still see them arrive. Never throws for
   * the flow's errors: a throwing flow hands off and is logged with the conversation's context.
   */
  answer(
    appended: { conversation: StoredConversation; message: StoredMessage },
    flow: ActiveFlow,
  ): Promise<void>;
}

export function createBotAnswerer(core: InboxCore, deps: BotAnswererDeps): BotAnswerer {
  const logger = core.logger.child({ module: 'vestnik:bot' });
  const sender = createReplySender(core);
  const replies = core.queues.queue(queueNames.inboxReplies);

  async function takeTurn(conversationId: string, message: StoredMessage, active: ActiveFlow, now: Date) {
    return core.lock(conversationId, async () => {
      const current = (await core.models.Conversation.findById(conversationId)
        .lean()
        .exec()) as StoredConversation | null;
      if (current?.state !== 'bot') return null;
      const result = await runTurn(active.flow, turnInputOf(current, message, active.flow.name, now));
      // A hand-off is written with the turn, so a message arriving while the replies go out
      // finds the conversation queued and the bot silent.
      const change = result.handoff
        ? handOffFields(result.handoff.reason, now)
        : {
            bot: {
              flow: active.flow.name,
              version: active.version,
              session: storedSessionText(result.session),
            },
          };
      await core.models.Conversation.updateOne({ _id: current._id }, { $set: change }).exec();
      return { conversation: current, result };
    });
  }

  /** The first reply goes out at once; later ones (and a first one that could not) go through the reply queue. */
  async function deliver(message: StoredMessage, now: SendContext | null): Promise<void> {
    const messageId = String(message._id);
    try {
      if (now) return void (await sender.sendFresh(message, now));
    } catch (error) {
      if (!(error instanceof RetryableReplyError))
        logger.warn({ err: error, messageId }, 'bot reply not sent; retrying');
    }
    await enqueueReply(replies, messageId).catch((failure: unknown) =>
      logger.warn({ err: failure, messageId }, 'bot reply not enqueued; the sweeper will'),
    );
  }

  function rendered(
    result: BotTurnResult,
    channel: ReplyChannel,
    context: Record<string, unknown>,
  ): RenderedReply[] {
    return result.replies.flatMap((reply) => {
      const out = renderReply(reply, channel.adapter.capabilities);
      const refusal = validateContent(channel.adapter.capabilities, {
        type: 'text',
        text: out.text,
        buttons: out.buttons,
      });
      if (!refusal) return [out];
      logger.warn({ ...context, refusal: refusal.message }, 'bot reply does not fit the channel; not sent');
      return [];
    });
  }

  /** Stores each reply once and delivers it before the next is stored (the first is what the customer waits for). */
  async function storeAndDeliver(
    conversation: StoredConversation,
    channel: ReplyChannel,
    inbound: StoredMessage,
    flowName: string,
    outs: RenderedReply[],
  ): Promise<void> {
    for (const [index, out] of outs.entries()) {
      const appended = await appendMessage(
        core,
        conversation,
        botMessage(inbound, flowName, index, out),
        (_c, m) => ({
          lastMessageAt: m.createdAt,
          lastMessage: previewOf(m),
        }),
      );
      if (appended) await deliver(appended.message, index === 0 ? { conversation, channel } : null);
    }
  }

  return {
    servesChannel: (workspaceId, channel) => deps.registry.hasFlowFor(workspaceId, channel),
    flowFor: (conversation, replyToTemplate) =>
      deps.registry.flowFor(
        String(conversation.workspaceId),
        { id: String(conversation.channelId), type: conversation.channelType },
        { current: conversation.state === 'bot' ? (conversation.bot?.flow ?? null) : null, replyToTemplate },
      ),
    async answer({ conversation, message }, active) {
      const conversationId = String(conversation._id);
      const workspaceId = trustedWorkspaceId(String(conversation.workspaceId));
      const context = {
        workspaceId,
        conversationId,
        messageId: String(message._id),
        flow: active.flow.name,
        version: active.version,
      };
      const channel = await liveReplyChannel(core, conversation);
      if (!channel) return;
      const now = new Date();
      const turn = await takeTurn(conversationId, message, active, now);
      if (!turn) return;
      const { result } = turn;
      if (result.error !== undefined)
        logger.error({ ...context, err: result.error }, 'bot flow threw; handed to the operators');
      await storeAndDeliver(
        turn.conversation,
        channel,
        message,
        active.flow.name,
        rendered(result, channel, context),
      );
      if (result.handoff) {
        await announceHandOff(core, workspaceId, conversationId, result.handoff.reason);
        await recordHandoffLine(core, turn.conversation, active.flow.name, result.handoff.reason);
      }
      await deps
        .recordTurn?.(turnRecord(turn.conversation, active, result, now))
        .catch((error: unknown) =>
          logger.warn({ ...context, err: error }, 'bot turn not recorded for the report'),
        );
    },
  };
}

function botMessage(inbound: StoredMessage, flowName: string, index: number, out: RenderedReply): NewMessage {
  return {
    direction: 'outbound',
    kind: 'text',
    author: { type: 'bot', operatorId: null, name: flowName },
    text: out.text,
    attachments: [],
    dedupeKey: `bot:${String(inbound._id)}:${index}`,
    externalMessageId: null,
    status: 'queued',
    statusTimes: { sent: null, delivered: null, read: null, failed: null },
    failureReason: null,
    source: null,
    replyTo: null,
    channelEventId: null,
    payload: null,
    buttons: storedButtons(out.buttons),
  };
}

function turnRecord(
  conversation: StoredConversation,
  active: ActiveFlow,
  result: BotTurnResult,
  at: Date,
): BotTurnRecord {
  return {
    workspaceId: String(conversation.workspaceId),
    flowName: active.flow.name,
    flowVersion: active.version,
    conversationId: String(conversation._id),
    channelId: String(conversation.channelId),
    outcome: result.outcome,
    entryId: result.match?.entryId ?? null,
    confidence: result.match?.confidence ?? 0,
    normalized: result.match?.normalized ?? '',
    text: [...result.message.text].slice(0, 500).join(''),
    at,
  };
}
