import { type Job, Queue, Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger';
import { withTimeout } from '../timeouts';

/** Every queue Vestnik runs. Job payloads carry ids only; workers reload from MongoDB. */
export const queueNames = {
  housekeeping: 'housekeeping',
  channelEvents: 'channel-events',
  notifications: 'notifications',
  templateModeration: 'template-moderation',
  webhookDeliveries: 'webhook-deliveries',
  inbox: 'inbox',
  /** Operator replies to customers (one job per reply; its own queue so no other inbox worker takes them). */
  inboxReplies: 'inbox-replies',
  /** The auto-assignment safety net (periodic pass and presence sweep), inbox/assignment. */
  inboxAssignment: 'inbox-assignment',
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface QueueFactory {
  queue(name: QueueName): Queue;
  worker(
    name: QueueName,
    processor: (job: Job) => Promise<unknown>,
    options?: Partial<WorkerOptions>,
  ): Worker;
  /**
   * A repeatable job (`jobName`, default `schedulerId`) every `everyMs`, registered now and again
   * every `refreshMs` (default 5 min) until `close`: a flushed or restarted Redis loses job
   * schedulers, and a lost sweeper schedule would never come back. Registering is idempotent
   * across processes.
   */
  schedule(name: QueueName, schedulerId: string, options: ScheduleOptions): Promise<void>;
  /** Stops workers (letting active jobs finish within the budget, then handing them back) and closes queues. */
  close(graceMs: number): Promise<void>;
}

export interface ScheduleOptions {
  everyMs: number;
  jobName?: string;
  refreshMs?: number;
  /** Finished jobs of the schedule kept for inspection (default 10 completed, 50 failed). */
  keep?: { completed: number; failed: number };
}

/**
 * Queues and workers sharing one key prefix (per deployment, or per test run) and one Redis.
 * On Redis Cluster the prefix must be a hash tag such as `{vestnik}`, so that each queue's keys
 * land in one slot (BullMQ's documented requirement).
 */
export interface QueueFactoryOptions {
  prefix: string;
  /** Jobs each worker runs at once. */
  concurrency: number;
  /**
   * A worker's lock on a job (BullMQ `lockDuration`, renewed every half of it) and how often
   * workers look for jobs whose lock expired (`stalledInterval`): a job of a dead worker runs
   * again within about twice this. BullMQ's default, 30 s, when absent.
   */
  jobLockMs?: number;
  logger: Logger;
}

export function createQueueFactory(connection: Redis, options: QueueFactoryOptions): QueueFactory {
  const { prefix, concurrency, logger } = options;
  const locks = options.jobLockMs
    ? { lockDuration: options.jobLockMs, stalledInterval: options.jobLockMs }
    : {};
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  const refreshers: NodeJS.Timeout[] = [];
  const queueOf = (name: QueueName): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix });
      queues.set(name, queue);
    }
    return queue;
  };
  return {
    queue: queueOf,
    worker(name, processor, workerOptions) {
      const worker = new Worker(name, processor, {
        connection: connection.duplicate(),
        prefix,
        concurrency,
        autorun: true,
        ...locks,
        ...workerOptions,
      });
      worker.on('error', (error) => logger.error({ err: error, queue: name }, 'queue worker error'));
      worker.on('failed', (job, error) =>
        logger.warn({ queue: name, job: job?.name, jobId: job?.id, err: error }, 'job failed'),
      );
      workers.push(worker);
      return worker;
    },
    async schedule(name, schedulerId, { everyMs, jobName = schedulerId, refreshMs = 5 * 60_000, keep }) {
      const queue = queueOf(name);
      const opts = { removeOnComplete: keep?.completed ?? 10, removeOnFail: keep?.failed ?? 50 };
      const register = () =>
        queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name: jobName, opts });
      await register();
      const refresh = setInterval(() => {
        register().catch((error: unknown) =>
          logger.warn({ err: error, queue: name, schedulerId }, 'job schedule not refreshed'),
        );
      }, refreshMs);
      refresh.unref();
      refreshers.push(refresh);
    },
    async close(graceMs) {
      for (const refresh of refreshers.splice(0)) clearInterval(refresh);
      await Promise.all(workers.map((worker) => closeWorker(worker, graceMs)));
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}

/** Waits for active jobs up to `graceMs`; past it, closes forcibly so the jobs return to the queue as stalled. */
async function closeWorker(worker: Worker, graceMs: number): Promise<void> {
  const outcome = await withTimeout(
    worker.close().then(() => 'closed' as const),
    graceMs,
    () => 'timeout' as const,
  );
  if (outcome === 'timeout') await worker.close(true);
  await worker.disconnect().catch(() => {});
}
