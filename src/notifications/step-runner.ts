import { setTimeout as sleep } from 'node:timers/promises';
import type { Types } from 'mongoose';
import type { OutboundContent, Recipient, SendFailure } from '../../adapters/contract';
import { isDuplicateKey } from '../storage/duplicate-key';
import { templateSendableOn } from '../templates/template-sendability';
import type { StoredTemplate } from '../templates/template-service';
import { moveAttempt, refreshNotification } from './attempt-outcomes';
import {
  ensureJob,
  type LiveChannel,
  liveChannel,
  type NotificationContext,
  notificationJobs,
  type StoredAttempt,
  type StoredNotification,
} from './notification-context';
import { resolveRecipient } from './recipient-resolver';
import { needsVerification, verificationQuestion } from './recipient-verification';
import { renderStepContent } from './step-content';

/** A step ready to send: everything checked, limits admitted. */
interface ReadyStep {
  notification: StoredNotification;
  attempt: StoredAttempt;
  channel: LiveChannel;
  recipient: Recipient;
  content: OutboundContent;
  text: string;
  /** `question`: the recipient-verification question goes first; the content follows a Yes. */
  purpose: 'content' | 'question';
  /** Ask the platform to deliver only to a verified number owner (gateway `verified_phone`). */
  verifiedRecipientOnly: boolean;
}

export type StepOutcome = 'sent' | 'skipped' | 'done' | 'failed';

/** A send that failed for now (network, 5xx); BullMQ retries the step job with backoff. */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
}

/**
 * Runs route step `step` of a notification: claims its attempt, checks the step can carry the
 * content to this recipient within the limits (else skips it with a reason and moves on), waits
 * for the channel's rate limit, sends and records the outcome. Idempotent: a repeated run of a
 * step that already went out does nothing; a run after a crash mid-send sends again with the same
 * message id, which platforms with idempotent sends (VK `random_id`, the gateway's `message_id`)
 * deliver once.
 */
export async function runStep(
  ctx: NotificationContext,
  notificationId: string,
  step: number,
  finalTry: boolean,
): Promise<StepOutcome> {
  for (;;) {
    const ready = await ctx.lock(notificationId, () => prepareStep(ctx, notificationId, step));
    if (!('content' in ready)) return ready.outcome;
    await ctx.guards.waitForRate({ channel: ready.channel.record, recipient: ready.recipient });
    const sent = await ctx.lock(notificationId, () => sendStep(ctx, ready, finalTry));
    if (typeof sent === 'string') return sent;
    await sleep(sent.retryAfterMs);
  }
}

async function prepareStep(
  ctx: NotificationContext,
  notificationId: string,
  step: number,
): Promise<ReadyStep | { outcome: StepOutcome }> {
  const notification = (await ctx.models.Notification.findById(notificationId)
    .lean()
    .exec()) as StoredNotification | null;
  if (!notification || step >= notification.route.length) return { outcome: 'done' };
  const attempt = await claimAttempt(ctx, notification, step);
  if (attempt.status !== 'queued' && attempt.status !== 'sending') {
    // A rerun of a step that went out: its worker may have died before the notification followed.
    await refreshNotification(ctx, notificationId);
    return { outcome: 'done' };
  }
  const skip = async (reason: string, detail: string) => {
    await moveAttempt(ctx, attempt, 'skipped', { reason, detail });
    return { outcome: 'skipped' as const };
  };
  if (attempt.expiresAt.getTime() <= Date.now()) {
    await moveAttempt(ctx, attempt, 'expired', { reason: 'ttl', detail: 'the TTL passed before the send' });
    return { outcome: 'skipped' };
  }
  const channel = await liveChannel(ctx, String(attempt.channelId));
  if (!channel) return skip('channel-removed', 'the route step’s channel no longer exists');
  const capabilities = channel.adapter.capabilities;
  const template = (await ctx.models.Template.findById(notification.template.id)
    .lean()
    .exec()) as StoredTemplate | null;
  if (!template) return skip('template-not-approved', 'the template no longer exists');
  const sendable = templateSendableOn(template, {
    id: String(channel.record._id),
    type: channel.adapter.kind,
    platformTemplates: capabilities.platformTemplates,
  });
  if (!sendable.ok)
    return skip(sendable.reason, `the template cannot be sent on this channel: ${sendable.reason}`);
  const { recipient, phone } = await resolveRecipient(ctx.models, notification.to, {
    id: String(channel.record._id),
    workspaceId: String(notification.workspaceId),
    capabilities,
  });
  if (!recipient) return skip('no-recipient', `the recipient has no address on ${channel.adapter.kind}`);
  const rendered = renderStepContent(
    { ...template, name: sendable.platformName ?? template.name },
    notification.params as Record<string, string>,
    capabilities,
    [],
  );
  if (!rendered.ok) return skip(rendered.reason, rendered.detail);
  if (attempt.status === 'queued' && !attempt.sendStartedAt) {
    const admitted = await ctx.guards.admit({
      workspaceId: String(notification.workspaceId),
      channel: channel.record,
      recipient,
      text: rendered.text,
    });
    if (!admitted.ok) return skip(admitted.reason, admitted.detail);
    await ctx.models.NotificationAttempt.updateOne(
      { _id: attempt._id },
      {
        $set: { capToken: admitted.capToken, spend: admitted.spend, recipient, sendStartedAt: new Date() },
      },
    ).exec();
  }
  await ensureJob(ctx.queue, notificationJobs.expire(notificationId, String(attempt._id), attempt.expiresAt));
  const ready = { notification, attempt, channel, recipient, content: rendered.content, text: rendered.text };
  if (!notification.verifyRecipient) return { ...ready, purpose: 'content', verifiedRecipientOnly: false };
  return withVerification(ctx, ready, phone);
}

/**
 * Recipient verification on this step: the gateway checks the number itself (`verified_phone`);
 * on a chat channel the user is asked first — unless they confirmed within 30 days, or already
 * answered Yes on this attempt. While the question waits for an answer the step does nothing.
 */
async function withVerification(
  ctx: NotificationContext,
  ready: Omit<ReadyStep, 'purpose' | 'verifiedRecipientOnly'>,
  phone: string | null,
): Promise<ReadyStep | { outcome: StepOutcome }> {
  const { attempt, channel, notification, recipient } = ready;
  const state = (attempt.verification as { state?: string } | null)?.state;
  if (state === 'asked') return { outcome: 'done' };
  const base = { ...ready, purpose: 'content' as const, verifiedRecipientOnly: true };
  if (state === 'confirmed') return base;
  const ask = await needsVerification(ctx, {
    workspaceId: notification.workspaceId,
    channelId: attempt.channelId,
    phone,
    recipient,
  });
  if (!ask || !phone) return base;
  const question = verificationQuestion(String(attempt._id), phone, channel.adapter.capabilities);
  if (!question) {
    await moveAttempt(ctx, attempt, 'skipped', {
      reason: 'content-unsupported',
      detail: 'recipient verification needs Yes / No buttons, which this channel cannot show',
    });
    return { outcome: 'skipped' };
  }
  await ctx.models.NotificationAttempt.updateOne(
    { _id: attempt._id },
    { $set: { verification: { state: 'asking', phone } } },
  ).exec();
  return { ...base, content: question, text: question.text, purpose: 'question' };
}

/** The attempt of the step, created on the first run (the unique index makes that a claim). */
async function claimAttempt(
  ctx: NotificationContext,
  notification: StoredNotification,
  step: number,
): Promise<StoredAttempt> {
  const existing = await findAttempt(ctx, notification._id, step);
  if (existing) return existing;
  const routeStep = notification.route[step];
  if (!routeStep) throw new RangeError(`step ${step} is not on the route`);
  const now = new Date();
  let created: StoredAttempt | null = null;
  try {
    const doc = await ctx.models.NotificationAttempt.create({
      workspaceId: notification.workspaceId,
      notificationId: notification._id,
      step,
      channelId: routeStep.channelId,
      channelType: routeStep.channelType,
      status: 'queued',
      history: [{ status: 'queued', at: now, reason: null }],
      ttlSeconds: routeStep.ttlSeconds,
      expiresAt: new Date(now.getTime() + routeStep.ttlSeconds * 1000),
    });
    created = doc.toObject() as StoredAttempt;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  await refreshNotification(ctx, String(notification._id));
  // Lost the claim to a racing run: its attempt is the one.
  created ??= await findAttempt(ctx, notification._id, step);
  if (!created) throw new Error(`attempt ${step} of notification ${String(notification._id)} vanished`);
  return created;
}

async function findAttempt(ctx: NotificationContext, notificationId: Types.ObjectId, step: number) {
  return (await ctx.models.NotificationAttempt.findOne({ notificationId, step })
    .lean()
    .exec()) as StoredAttempt | null;
}

async function sendStep(
  ctx: NotificationContext,
  ready: ReadyStep,
  finalTry: boolean,
): Promise<StepOutcome | { retryAfterMs: number }> {
  const attempt = await findAttempt(ctx, ready.notification._id, ready.attempt.step);
  if (!attempt || (attempt.status !== 'queued' && attempt.status !== 'sending')) return 'done';
  await ctx.models.NotificationAttempt.updateOne(
    { _id: attempt._id },
    { $set: { status: 'sending' }, $inc: { sendTries: 1 } },
  ).exec();
  const remaining = Math.ceil((attempt.expiresAt.getTime() - Date.now()) / 1000);
  const result = await ready.channel.adapter.send(ready.recipient, ready.content, {
    messageId: ready.purpose === 'question' ? `${String(attempt._id)}-q` : String(attempt._id),
    ttlSeconds: Math.max(15, Math.min(remaining, 86_400)),
    ...(ready.verifiedRecipientOnly ? { verifiedRecipientOnly: true } : {}),
  });
  const current = { ...attempt, status: 'sending' as const };
  if (result.ok && ready.purpose === 'question') {
    await ctx.models.NotificationAttempt.updateOne(
      { _id: attempt._id },
      {
        $set: {
          status: 'queued',
          'verification.state': 'asked',
          'verification.questionMessageId': result.externalMessageId,
          'verification.askedAt': new Date(),
        },
      },
    ).exec();
    return 'done';
  }
  if (result.ok) {
    const reports = ready.channel.adapter.capabilities.reports;
    // Channels that never report delivery or reads count the platform's acceptance as delivery.
    const next = reports.delivered || reports.read ? 'sent' : 'delivered';
    await moveAttempt(ctx, current, next, { externalMessageId: result.externalMessageId, text: ready.text });
    return 'sent';
  }
  return sendFailed(ctx, ready, current, result.failure, finalTry);
}

async function sendFailed(
  ctx: NotificationContext,
  ready: ReadyStep,
  attempt: StoredAttempt,
  failure: SendFailure,
  finalTry: boolean,
): Promise<StepOutcome | { retryAfterMs: number }> {
  if (failure.kind === 'rate-limited') return { retryAfterMs: failure.retryAfterMs };
  if (failure.kind === 'retryable' && !finalTry) throw new RetryableSendError(failure.reason);
  const reason = failure.kind === 'permanent' ? failure.reason : 'platform-unavailable';
  const detail = failure.kind === 'permanent' ? failure.detail : failure.reason;
  await ctx.guards.release({
    workspaceId: String(attempt.workspaceId),
    channel: ready.channel.record,
    tokens: { capToken: attempt.capToken ?? null, spend: (attempt.spend as Record<string, unknown>) ?? null },
  });
  await moveAttempt(ctx, attempt, 'undelivered', { reason, detail, text: ready.text });
  return 'failed';
}
