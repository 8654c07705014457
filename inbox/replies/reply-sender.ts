import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import { trusted } from 'mongoose';
import { z } from 'zod';
import { describeSendFailure, type OutboundContent, type SendResult } from '../../adapters/contract';
import { createSendGuards } from '../../src/notifications/send-guards';
import { queueNames } from '../../src/queue/queues';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import type { StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import { contractButtons } from '../messages/message-buttons';
import type { MessageStatus } from '../messages/message-model';
import { type StoredMessage, viewMessage } from '../messages/message-view';
import { liveReplyChannel, type ReplyChannel, replyRecipient } from './reply-channel';
import { type ReplyContent, type ReplyTemplateRef, renderStoredTemplate } from './reply-content';
import { enqueueReply, replyJobId, replyJobName, replySweepJobName } from './reply-jobs';

/** A stored text reply as the channel gets it, with its buttons (the bot's, rendered for the channel). */
function textContent(message: StoredMessage): OutboundContent {
  const buttons = contractButtons(message.buttons ?? []);
  return buttons.length > 0
    ? { type: 'text', text: message.text, buttons }
    : { type: 'text', text: message.text };
}

/** A send that failed for now (network, 5xx): BullMQ runs the job again with backoff. */
export class RetryableReplyError extends Error {
  override readonly name = 'RetryableReplyError';
}

const jobData = z.object({ messageId: z.string().min(1) });
const pending: MessageStatus[] = ['queued', 'sending'];
const isPendingReply = (message: StoredMessage) =>
  message.direction === 'outbound' && pending.includes(message.status as MessageStatus);

export interface ReplySenderOptions {
  /** How often the sweeper looks for replies whose job vanished (default 30 s). */
  sweepEveryMs?: number;
  /** A reply younger than this is left to its job (default 10 s). */
  sweepAfterMs?: number;
}

export interface ReplySender {
  /** Sends one stored reply (what a job runs). */
  send(messageId: string, finalTry: boolean): Promise<'sent' | 'failed' | 'done'>;
  /**
   * Sends a reply this process has just stored (the bot's, while the customer waits): no re-read
   * and no `sending` tick; `known`: the conversation and channel the caller has just read. A retryable failure or a rate-limit answer throws `RetryableReplyError`
   * for the caller to hand the reply to the queue.
   */
  sendFresh(
    message: StoredMessage,
    known?: { conversation: StoredConversation; channel: ReplyChannel },
  ): Promise<'sent' | 'failed'>;
  /** Re-enqueues pending replies without a job (Redis flushed); returns how many. */
  sweep(): Promise<number>;
  start(): Promise<void>;
}

/**
 * Sends operators' replies through the conversation's channel adapter, under the channel's rate
 * limits (shared token buckets, as notifications use), and records the outcome on the message:
 * `sent` with the platform's message id (delivery reports later move it on), or `delivered` at
 * once where the channel never reports delivery; `failed` with the reason for permanent failures
 * and for network failures after the last retry. Every change is published as `message.updated`.
 * Idempotent: a reply that is no longer pending is left alone; a re-run after a crash mid-send
 * sends with the same message id, which platforms with idempotent sends deliver once.
 */
export function createReplySender(core: InboxCore, options: ReplySenderOptions = {}): ReplySender {
  const guards = createSendGuards({
    models: core.models,
    redis: core.redis,
    prefix: core.config.QUEUE_PREFIX,
  });
  const queue = core.queues.queue(queueNames.inboxReplies);
  const logger = core.logger.child({ module: 'vestnik:inbox:replies' });

  async function record(message: StoredMessage, status: MessageStatus, fields: Record<string, unknown> = {}) {
    // Under the conversation's lock, which every status writer holds, a filtered update is a safe
    // check-and-set on FerretDB too: null when the reply is no longer pending.
    const updated = await core.lock(
      String(message.conversationId),
      async () =>
        (await core.models.InboxMessage.findOneAndUpdate(
          { _id: message._id, status: trusted({ $in: pending }) },
          { $set: { status, ...fields } },
          { returnDocument: 'after' },
        )
          .lean()
          .exec()) as StoredMessage | null,
    );
    if (!updated) return;
    await core.events.publish(trustedWorkspaceId(String(updated.workspaceId)), {
      type: 'message.updated',
      conversationId: String(updated.conversationId),
      data: viewMessage(updated),
    });
  }

  const fail = async (message: StoredMessage, reason: string) => {
    await record(message, 'failed', { failureReason: reason, 'statusTimes.failed': new Date() });
    logger.info({ messageId: String(message._id), reason }, 'reply failed');
    return 'failed' as const;
  };

  async function prepare(
    message: StoredMessage,
    known?: { conversation: StoredConversation; channel: ReplyChannel },
  ) {
    const conversation =
      known?.conversation ??
      ((await core.models.Conversation.findOne({
        _id: message.conversationId,
        workspaceId: message.workspaceId,
      })
        .lean()
        .exec()) as StoredConversation | null);
    if (!conversation) return 'the conversation no longer exists';
    const channel = known?.channel ?? (await liveReplyChannel(core, conversation));
    if (!channel) return 'channel-removed: the conversation’s channel was deleted';
    const reply = await contentOf(message, channel);
    if (!reply) return 'template-not-approved: the template can no longer be sent on this channel';
    return { channel, reply, recipient: replyRecipient(conversation, channel.adapter) };
  }

  async function contentOf(message: StoredMessage, channel: ReplyChannel): Promise<ReplyContent | null> {
    const ref = (message as { template?: ReplyTemplateRef | null }).template;
    if (!ref) return { content: textContent(message), text: message.text, template: null };
    return renderStoredTemplate(core, trustedWorkspaceId(String(message.workspaceId)), channel, ref);
  }

  async function outcome(
    message: StoredMessage,
    channel: ReplyChannel,
    result: SendResult,
    finalTry: boolean,
  ) {
    if (result.ok) {
      const { reports } = channel.adapter.capabilities;
      const now = new Date();
      // Channels that never report delivery or reads count the platform's acceptance as delivery.
      const delivered = !(reports.delivered || reports.read);
      await record(message, delivered ? 'delivered' : 'sent', {
        externalMessageId: result.externalMessageId,
        'statusTimes.sent': now,
        ...(delivered ? { 'statusTimes.delivered': now } : {}),
      });
      return 'sent' as const;
    }
    const { failure } = result;
    if (failure.kind === 'permanent') return fail(message, `${failure.reason}: ${failure.detail}`);
    if (failure.kind === 'retryable' && !finalTry) throw new RetryableReplyError(failure.reason);
    return fail(message, `retries-exhausted: ${describeSendFailure(failure)}`);
  }

  async function send(messageId: string, finalTry: boolean): Promise<'sent' | 'failed' | 'done'> {
    for (;;) {
      const message = (await core.models.InboxMessage.findById(messageId)
        .lean()
        .exec()) as StoredMessage | null;
      if (!message || !isPendingReply(message)) return 'done';
      const ready = await prepare(message);
      if (typeof ready === 'string') return fail(message, ready);
      await guards.waitForRate({ channel: ready.channel.record, recipient: ready.recipient });
      if (message.status === 'queued') await record(message, 'sending');
      const result = await ready.channel.adapter.send(ready.recipient, ready.reply.content, { messageId });
      if (!result.ok && result.failure.kind === 'rate-limited') {
        await sleep(result.failure.retryAfterMs);
        continue;
      }
      return outcome(message, ready.channel, result, finalTry);
    }
  }

  async function sendFresh(
    message: StoredMessage,
    known?: { conversation: StoredConversation; channel: ReplyChannel },
  ): Promise<'sent' | 'failed'> {
    const ready = await prepare(message, known);
    if (typeof ready === 'string') return fail(message, ready);
    await guards.waitForRate({ channel: ready.channel.record, recipient: ready.recipient });
    const result = await ready.channel.adapter.send(ready.recipient, ready.reply.content, {
      messageId: String(message._id),
    });
    if (!result.ok && result.failure.kind === 'rate-limited') throw new RetryableReplyError('rate-limited');
    return outcome(message, ready.channel, result, false);
  }

  async function sweep(): Promise<number> {
    const before = new Date(Date.now() - (options.sweepAfterMs ?? 10_000));
    const stale = await core.models.InboxMessage.find({
      direction: 'outbound',
      status: trusted({ $in: pending }),
      createdAt: trusted({ $lt: before }),
    })
      .select({ _id: 1 })
      .sort({ _id: 1 })
      .limit(500)
      .lean()
      .exec();
    let requeued = 0;
    for (const { _id } of stale) {
      const job = await queue.getJob(replyJobId(String(_id)));
      // A job that failed on an unexpected error (not a send failure: those mark the reply) is retried.
      if (job && (await job.getState()) !== 'failed') continue;
      if (job) await job.remove();
      await enqueueReply(queue, String(_id));
      requeued += 1;
    }
    if (requeued > 0) logger.warn({ requeued }, 'replies without a job were queued again');
    return requeued;
  }

  async function process(job: Job): Promise<unknown> {
    if (job.name === replySweepJobName) return sweep();
    if (job.name !== replyJobName) return 'unsupported';
    const { messageId } = jobData.parse(job.data);
    return send(messageId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }

  return {
    send,
    sendFresh,
    sweep,
    async start() {
      core.queues.worker(queueNames.inboxReplies, process);
      await core.queues.schedule(queueNames.inboxReplies, 'reply-sweeper', {
        everyMs: options.sweepEveryMs ?? 30_000,
        jobName: replySweepJobName,
      });
    },
  };
}
