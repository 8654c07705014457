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
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface QueueFactory {
  queue(name: QueueName): Queue;
  worker(
    name: QueueName,
    processor: (job: Job) => Promise<unknown>,
    options?: Partial<WorkerOptions>,
  ): Worker;
  /** Stops workers (letting active jobs finish within the budget, then handing them back) and closes queues. */
  close(graceMs: number): Promise<void>;
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
  return {
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection, prefix });
        queues.set(name, queue);
      }
      return queue;
    },
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
    async close(graceMs) {
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
