import type { Types } from 'mongoose';
import type { ChannelCapabilities, OutboundContent, Recipient } from '../../adapters/contract';
import { isDuplicateKey } from '../storage/duplicate-key';
import { buttonsForChannel } from '../templates/template-buttons';
import { moveAttempt } from './attempt-outcomes';
import {
  ensureJob,
  type NotificationContext,
  notificationJobs,
  type StoredAttempt,
} from './notification-context';

/** How long a "yes, this is my number" is trusted. */
export const confirmationTtlMs = 30 * 24 * 60 * 60 * 1000;

const payloadPattern = /^vrf:([0-9a-f]{24}):(yes|no)$/;

/** Whether a button payload is a recipient-verification answer (the notifications consume it). */
export function isVerificationPayload(payload: string): boolean {
  return payloadPattern.test(payload);
}

/** `+79161234567` → `+7 *** *** 45 67`: enough for the owner to recognise, too little to learn it. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const country = digits.length > 10 ? digits.slice(0, digits.length - 10) : '';
  const tail = digits.slice(-4);
  return `+${country} *** *** ${tail.slice(0, 2)} ${tail.slice(2)}`.replace('+ ', '+');
}

/** The question sent before the content, with Yes / No buttons carrying the attempt id. */
export function verificationQuestion(
  attemptId: string,
  phone: string,
  capabilities: ChannelCapabilities,
): OutboundContent | null {
  const buttons = buttonsForChannel(
    [
      { kind: 'text', label: 'Да, это мой номер', payload: `vrf:${attemptId}:yes` },
      { kind: 'text', label: 'Нет', payload: `vrf:${attemptId}:no` },
    ],
    capabilities,
  );
  if (!buttons.ok) return null;
  return { type: 'text', text: `${maskPhone(phone)} — это ваш номер?`, buttons: buttons.buttons };
}

/**
 * Whether this step must ask first: the notification asked for verification, the step reaches a
 * chat user (phone channels reach the number itself), we know the number to ask about, and the
 * user has not confirmed it on this channel in the last 30 days.
 */
export async function needsVerification(
  ctx: NotificationContext,
  input: {
    workspaceId: Types.ObjectId;
    channelId: Types.ObjectId;
    phone: string | null;
    recipient: Recipient;
  },
): Promise<boolean> {
  if (input.recipient.kind !== 'user' || !input.phone) return false;
  const confirmed = await ctx.models.RecipientConfirmation.findOne({
    workspaceId: input.workspaceId,
    channelId: input.channelId,
    phone: input.phone,
  })
    .lean()
    .exec();
  return !confirmed || Date.now() - confirmed.confirmedAt.getTime() > confirmationTtlMs;
}

/**
 * A Yes / No answer to a verification question (button press, or a reply keyboard's payload).
 * Only the user the question went to, on the same channel, can answer it. Yes → remembered for 30
 * days and the content goes out; No → the attempt ends `undelivered` (`recipient-denied`) and the
 * route goes on. Anything else is not ours (`not-mine`); a repeated answer changes nothing.
 */
export async function applyVerificationAnswer(
  ctx: NotificationContext,
  input: { channelId: string; payload: string; fromUserId: string },
): Promise<'applied' | 'ignored' | 'not-mine'> {
  const match = payloadPattern.exec(input.payload);
  if (!match) return 'not-mine';
  const [, attemptId, answer] = match;
  const found = await ctx.models.NotificationAttempt.findById(attemptId)
    .select({ notificationId: 1 })
    .lean()
    .exec();
  if (!found) return 'ignored';
  return ctx.lock(String(found.notificationId), async () => {
    const attempt = (await ctx.models.NotificationAttempt.findById(attemptId)
      .lean()
      .exec()) as StoredAttempt | null;
    const recipient = attempt?.recipient as Recipient | null;
    const asked = (attempt?.verification as { state?: string } | null)?.state === 'asked';
    if (!attempt || !asked || String(attempt.channelId) !== input.channelId) return 'ignored';
    if (recipient?.kind !== 'user' || recipient.externalUserId !== input.fromUserId) return 'ignored';
    if (answer === 'no') {
      await moveAttempt(ctx, attempt, 'undelivered', {
        reason: 'recipient-denied',
        detail: 'the user said the number is not theirs',
      });
      return 'applied';
    }
    await remember(ctx, attempt, recipient.externalUserId);
    await ctx.models.NotificationAttempt.updateOne(
      { _id: attempt._id },
      { $set: { 'verification.state': 'confirmed', 'verification.answeredAt': new Date() } },
    ).exec();
    await ensureJob(ctx.queue, notificationJobs.step(String(attempt.notificationId), attempt.step));
    return 'applied';
  });
}

async function remember(ctx: NotificationContext, attempt: StoredAttempt, externalUserId: string) {
  const notification = await ctx.models.Notification.findById(attempt.notificationId).lean().exec();
  const phone = (attempt.verification as { phone?: string } | null)?.phone ?? notification?.to?.phone;
  if (!phone) return;
  const key = { workspaceId: attempt.workspaceId, channelId: attempt.channelId, phone };
  const fields = { externalUserId, confirmedAt: new Date() };
  try {
    await ctx.models.RecipientConfirmation.create({ ...key, ...fields });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await ctx.models.RecipientConfirmation.updateOne(key, { $set: fields }).exec();
  }
}
