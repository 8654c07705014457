import type { Logger } from '../logging/logger';
import { type QueueFactory, queueNames } from '../queue/queues';
import type { PlatformModeration } from './platform-moderation';

/** Platforms decide in minutes to hours (the sandbox in under a second); a poll every 30 s by default. */
export const defaultPlatformPollMs = 30_000;

const pollJob = 'poll-platform-templates';

/**
 * Registers the repeatable platform poll (one schedule however many workers call this) and starts
 * its worker, one job at a time per process. The job carries nothing: it reads what to do from
 * the templates and channels in MongoDB.
 */
export async function startTemplateModeration(options: {
  queues: QueueFactory;
  moderation: PlatformModeration;
  logger: Logger;
  everyMs?: number;
}): Promise<void> {
  const { queues, moderation, logger } = options;
  await queues.schedule(queueNames.templateModeration, pollJob, {
    everyMs: options.everyMs ?? defaultPlatformPollMs,
    keep: { completed: 100, failed: 500 },
  });
  queues.worker(
    queueNames.templateModeration,
    async (job) => {
      if (job.name !== pollJob) return { unsupported: job.name };
      const summary = await moderation.pollOnce();
      if (summary.changes > 0) logger.info({ ...summary }, 'platform template moderation polled');
      return summary;
    },
    { concurrency: 1 },
  );
}
