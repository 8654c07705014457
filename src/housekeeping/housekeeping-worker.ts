import type { Job } from 'bullmq';
import { purgeOldBotTurns } from '../../inbox/bot/bot-turn-log';
import { purgeOldInboxEvents } from '../../inbox/realtime/inbox-event-purge';
import { purgeExpiredSessions } from '../auth/sessions';
import { purgeExpiredIdempotencyKeys } from '../http/idempotency';
import type { Logger } from '../logging/logger';
import { type QueueFactory, queueNames } from '../queue/queues';
import type { Models } from '../storage/models';

/** Scheduled maintenance that replaces what MongoDB TTL indexes would do (FerretDB has none). */
const jobs: Record<string, { everyMs: number; run(models: Models): Promise<Record<string, number>> }> = {
  'purge-expired-sessions': {
    everyMs: 10 * 60_000,
    run: async (models) => ({ deleted: await purgeExpiredSessions(models) }),
  },
  'purge-idempotency-keys': {
    everyMs: 30 * 60_000,
    run: async (models) => ({ deleted: await purgeExpiredIdempotencyKeys(models) }),
  },
  'purge-inbox-events': {
    everyMs: 60 * 60_000,
    run: async (models) => ({ deleted: await purgeOldInboxEvents(models) }),
  },
  'purge-bot-turns': {
    everyMs: 6 * 60 * 60_000,
    run: async (models) => ({ deleted: await purgeOldBotTurns(models) }),
  },
};

/** Registers the schedules (idempotent across workers) and starts the housekeeping worker. */
export async function startHousekeeping(queues: QueueFactory, models: Models, logger: Logger): Promise<void> {
  for (const [name, job] of Object.entries(jobs)) {
    await queues.schedule(queueNames.housekeeping, name, {
      everyMs: job.everyMs,
      keep: { completed: 100, failed: 500 },
    });
  }
  queues.worker(queueNames.housekeeping, async (job: Job) => {
    const handler = jobs[job.name];
    if (!handler) {
      logger.warn({ job: job.name }, 'unknown housekeeping job ignored');
      return { unsupported: job.name };
    }
    const result = await handler.run(models);
    logger.info({ job: job.name, ...result }, 'housekeeping job done');
    return result;
  });
}
