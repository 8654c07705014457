import type { Queue } from 'bullmq';
import type { Types } from 'mongoose';
import type { ChannelAdapter, Recipient } from '../../adapters/contract';
import type { ChannelRecord, ChannelRuntime } from '../channels/channel-runtime';
import type { Logger } from '../logging/logger';
import type { Models } from '../storage/models';
import type { DeliveredAttempt } from '../usage/record-delivered';
import type { BusinessEvents } from '../webhooks-out/business-events';
import type { AttemptDoc } from './attempt-model';
import type { NotificationLock } from './notification-lock';
import type { NotificationDoc } from './notification-model';

export type StoredNotification = Omit<NotificationDoc, 'to' | 'template'> & {
  _id: Types.ObjectId;
  to: {
    phone: string | null;
    contactId: Types.ObjectId | null;
    channelId: Types.ObjectId | null;
    externalUserId: string | null;
  };
  template: { id: Types.ObjectId; name: string; version: number };
  createdAt: Date;
  updatedAt: Date;
};
export type StoredAttempt = AttemptDoc & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** Why a step was refused by a limit before sending. */
export type GuardRefusal = {
  ok: false;
  reason: 'recipient-daily-limit' | 'spend-cap-reached';
  detail: string;
};

/** What a step's send reserved, stored on the attempt so it can be given back after a crash. */
export interface GuardTokens {
  capToken: string | null;
  spend: Record<string, unknown> | null;
}

/**
 * Limits a send must pass: per-recipient caps and SMS spend (taken once per attempt, given back
 * when the send fails permanently) and the channel's rate limits (waited for before each try).
 */
export interface SendGuards {
  admit(input: {
    workspaceId: string;
    channel: ChannelRecord;
    recipient: Recipient;
    text: string;
  }): Promise<({ ok: true } & GuardTokens) | GuardRefusal>;
  release(input: { workspaceId: string; channel: ChannelRecord; tokens: GuardTokens }): Promise<void>;
  waitForRate(input: { channel: ChannelRecord; recipient: Recipient; signal?: AbortSignal }): Promise<void>;
}

/** Everything the notification engine works with, built once per process. */
export interface NotificationContext {
  models: Models;
  queue: Queue;
  runtime: ChannelRuntime;
  lock: NotificationLock;
  guards: SendGuards;
  events?: BusinessEvents;
  /** Records a delivered attempt for usage (idempotent per attempt). */
  recordDelivered(input: DeliveredAttempt): Promise<void>;
  /** Told of every stored attempt move (the inbox records sent notifications); its failures are logged, never raised. */
  onAttemptMoved?: AttemptMovedSink;
  logger: Logger;
}

/** An attempt as it stands right after a move was stored. */
export interface AttemptMove {
  attemptId: string;
  notificationId: string;
  workspaceId: string;
  step: number;
  channelId: string;
  channelType: string;
  /** The status just reached. */
  status: string;
  at: Date;
  /** Who the step addressed (a `Recipient` of adapters/contract), null before the send started. */
  recipient: Recipient | null;
  /** The exact text sent, when known. */
  text: string | null;
  externalMessageId: string | null;
  reason: string | null;
  /** The notification's template name and addressee, as read for this move; null when it is gone. */
  notification: { templateName: string | null; phone: string | null; contactId: string | null } | null;
}

/**
 * Reacts to an attempt move (called holding the notification's lock, after the attempt is stored).
 * Not promised: exactly once per move (a crash after the store skips it; a later move repeats the
 * attempt's full state, so sinks should apply the state rather than count moves).
 */
export type AttemptMovedSink = (move: AttemptMove) => Promise<void>;

export interface LiveChannel {
  record: ChannelRecord;
  adapter: ChannelAdapter;
}

/** The channel of a route step with its live adapter, or null when the channel was removed. */
export async function liveChannel(ctx: NotificationContext, channelId: string): Promise<LiveChannel | null> {
  const record = await ctx.runtime.lookup(channelId);
  return record ? { record, adapter: ctx.runtime.adapterFor(record) } : null;
}

/** Job names and ids of the notifications queue: ids are deterministic, so a double enqueue is one job. */
export const notificationJobs = {
  step: (notificationId: string, step: number) => ({
    name: 'step',
    data: { notificationId, step },
    opts: {
      jobId: `step-${notificationId}-${step}`,
      attempts: 6,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  }),
  expire: (notificationId: string, attemptId: string, at: Date) => ({
    name: 'expire',
    data: { notificationId, attemptId },
    opts: {
      jobId: `expire-${attemptId}`,
      delay: Math.max(0, at.getTime() - Date.now()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  }),
} as const;

/** Adds the job unless a live one with its id exists; a finished one with the id is replaced. */
export async function ensureJob(queue: Queue, job: ReturnType<(typeof notificationJobs)['step' | 'expire']>) {
  const existing = await queue.getJob(job.opts.jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
    await existing.remove().catch(() => {});
  }
  await queue.add(job.name, job.data, job.opts);
}
