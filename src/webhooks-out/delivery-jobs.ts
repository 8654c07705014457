import type { JobsOptions, Queue } from 'bullmq';

/** Name of the job that makes a delivery's next attempt; its data is {@link DeliveryJobData}. */
export const DELIVER_JOB = 'deliver';
/** Name of the repeatable job that re-queues due deliveries whose job was lost. */
export const SWEEP_JOB = 'sweep';

/** Ids only: the worker reloads the delivery, its event and its endpoint from MongoDB. */
export interface DeliveryJobData {
  deliveryId: string;
}

/**
 * One job per delivery, `jobId` = the delivery id, for its whole life: a failed attempt moves the
 * same job to `delayed` until the next one. Settled jobs are removed, since MongoDB holds the log.
 * BullMQ's own retries only cover infrastructure failures (MongoDB unreachable), never a receiver.
 */
const jobOptions: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: true,
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
};

/**
 * Adds the job of each delivery, delayed until its `nextAttemptAt`. A delivery that already has a
 * job (waiting, delayed or running) keeps it: adding is idempotent by job id.
 */
export async function enqueueDeliveries(
  queue: Queue,
  deliveries: ReadonlyArray<{ _id: unknown; nextAttemptAt?: Date | null }>,
  now = Date.now(),
): Promise<void> {
  if (deliveries.length === 0) return;
  await queue.addBulk(
    deliveries.map((delivery) => {
      const deliveryId = String(delivery._id);
      const dueAt = delivery.nextAttemptAt?.getTime() ?? now;
      return {
        name: DELIVER_JOB,
        data: { deliveryId } satisfies DeliveryJobData,
        opts: { ...jobOptions, jobId: deliveryId, delay: Math.max(0, dueAt - now) },
      };
    }),
  );
}

/** Makes the delivery's next attempt run now: promotes its delayed job, or adds one. */
export async function deliverNow(queue: Queue, deliveryId: string): Promise<void> {
  const job = await queue.getJob(deliveryId);
  if (job && (await job.isDelayed())) {
    // Between the two calls the job may have started; then it runs now anyway.
    await job.promote().catch(() => undefined);
    return;
  }
  await enqueueDeliveries(queue, [{ _id: deliveryId }]);
}
