import { DelayedError, type Job, type Queue } from 'bullmq';
import { trusted } from 'mongoose';
import { type QueueFactory, queueNames } from '../queue/queues';
import { type AttemptDeps, attemptDelivery } from './attempt-delivery';
import { DELIVER_JOB, type DeliveryJobData, enqueueDeliveries, SWEEP_JOB } from './delivery-jobs';

export interface SweeperTiming {
  /** How often the sweeper runs. */
  sweepEveryMs: number;
  /** How long past due a pending delivery must be before the sweeper re-queues it. */
  sweepGraceMs: number;
  /** How often the sweeper's schedule is re-registered (it is lost with Redis). */
  schedulerRefreshMs: number;
}

export interface DeliveryWorkerDeps extends AttemptDeps, SweeperTiming {
  queues: QueueFactory;
  /** Attempts in flight at once per process: a dead receiver holds one for up to 15 s. */
  concurrency: number;
}

const SWEEP_BATCH = 1000;

/**
 * The worker role's side of outbound webhooks: runs delivery jobs (one attempt each; a failed
 * attempt moves its job to `delayed` until the next one) and a repeatable sweeper that re-queues
 * pending deliveries that are due but have no job (Redis flushed, enqueue lost), so nothing
 * published is lost. The worker and the schedule stop with the queue factory.
 */
export async function startDeliveryWorker(deps: DeliveryWorkerDeps): Promise<void> {
  const queue = deps.queues.queue(queueNames.webhookDeliveries);
  await deps.queues.schedule(queueNames.webhookDeliveries, 'sweep-due-deliveries', {
    everyMs: deps.sweepEveryMs,
    jobName: SWEEP_JOB,
    refreshMs: deps.schedulerRefreshMs,
  });
  deps.queues.worker(
    queueNames.webhookDeliveries,
    (job: Job, token?: string) => processJob(deps, queue, job, token),
    {
      concurrency: deps.concurrency,
    },
  );
}

/** One attempt per `deliver` job; a failed attempt moves the same job to `delayed` until the next. */
async function processJob(
  deps: DeliveryWorkerDeps,
  queue: Queue,
  job: Job,
  token?: string,
): Promise<unknown> {
  if (job.name === SWEEP_JOB) return sweep(deps, queue);
  if (job.name !== DELIVER_JOB) return { unsupported: job.name };
  const { deliveryId } = job.data as DeliveryJobData;
  const { retryAt } = await attemptDelivery(deps, String(deliveryId));
  if (!retryAt) return { settled: true };
  await job.moveToDelayed(retryAt.getTime(), token);
  throw new DelayedError();
}

async function sweep(deps: DeliveryWorkerDeps, queue: Queue): Promise<{ requeued: number }> {
  const due = await deps.models.WebhookDelivery.find({
    state: 'pending',
    nextAttemptAt: trusted({ $lte: new Date(Date.now() - deps.sweepGraceMs) }),
  })
    .sort({ nextAttemptAt: 1 })
    .select({ _id: 1 })
    .limit(SWEEP_BATCH)
    .lean()
    .exec();
  await enqueueDeliveries(queue, due);
  if (due.length > 0) deps.logger.debug({ due: due.length }, 'due webhook deliveries re-queued');
  return { requeued: due.length };
}
