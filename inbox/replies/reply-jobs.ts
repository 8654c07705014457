import type { Queue } from 'bullmq';

/** Reply jobs carry the message id only; the sender reloads everything from MongoDB. */
export const replyJobName = 'reply.send';
export const replySweepJobName = 'reply.sweep';

/** One job per reply message: adding it twice while it waits is a no-op. */
export const replyJobId = (messageId: string) => `reply-${messageId}`;

/** Sends a reply, retrying network failures with backoff (about 1 min in all). */
export async function enqueueReply(queue: Queue, messageId: string): Promise<void> {
  await queue.add(
    replyJobName,
    { messageId },
    {
      jobId: replyJobId(messageId),
      attempts: 6,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  );
}
