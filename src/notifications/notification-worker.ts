import type { Job } from 'bullmq';
import { type QueueFactory, queueNames } from '../queue/queues';
import { expireAttempt } from './attempt-events';
import type { NotificationContext } from './notification-context';
import { sweepNotifications } from './notification-sweeper';
import { runStep } from './step-runner';

export interface NotificationWorkerOptions {
  /** Steps sent at once by this process; waits on rate limits overlap, so it can be high. */
  concurrency: number;
  /** How often the sweeper runs (default 30 s). */
  sweepEveryMs?: number;
  /**
   * How often the sweeper's schedule is registered again (default 5 min): a flushed or restarted
   * Redis loses it, and without it nothing re-queues the work whose jobs were lost with it.
   */
  schedulerRefreshMs?: number;
}

/** Starts the worker that runs route steps, TTL timers and the sweeper. */
export async function startNotificationWorker(
  ctx: NotificationContext,
  queues: QueueFactory,
  options: NotificationWorkerOptions,
): Promise<void> {
  const sweepEveryMs = options.sweepEveryMs ?? 30_000;
  await queues.schedule(queueNames.notifications, 'sweep-notifications', {
    everyMs: sweepEveryMs,
    jobName: 'sweep',
    ...(options.schedulerRefreshMs ? { refreshMs: options.schedulerRefreshMs } : {}),
  });
  queues.worker(
    queueNames.notifications,
    async (job: Job) => {
      const data = job.data as { notificationId?: string; step?: number; attemptId?: string };
      if (job.name === 'sweep')
        return sweepNotifications(ctx, { staleAfterMs: Math.max(sweepEveryMs, 5000) });
      if (job.name === 'expire')
        return expireAttempt(ctx, String(data.notificationId), String(data.attemptId));
      const finalTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      return runStep(ctx, String(data.notificationId), Number(data.step), finalTry);
    },
    { concurrency: options.concurrency },
  );
}
