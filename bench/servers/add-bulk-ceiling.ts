import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { notificationJobs } from '../../src/notifications/notification-context';

/**
 * The ceiling for `POST /v1/notifications/batch`: BullMQ `addBulk` of 1000 step jobs, exactly the
 * jobs Vestnik queues for a batch (same names, data, deterministic ids and options, same Redis),
 * with no HTTP, validation or storage. `BENCH_CONCURRENCY` calls in flight, like the batch
 * client's connections. Prints one JSON line: `{"jobsPerSecond":…,"calls":…,"p99Ms":…}`.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const seconds = env('BENCH_SECONDS', 10);
const warmup = env('BENCH_WARMUP', 2);
const concurrency = env('BENCH_CONCURRENCY', 4);
const bulkSize = env('BENCH_BULK', 1000);

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
// Its own queue under the bench prefix: no worker ever takes these jobs.
const queue = new Queue('add-bulk-ceiling', { connection: redis, prefix: process.env.BENCH_QUEUE_PREFIX });

function bulk() {
  return Array.from({ length: bulkSize }, () => notificationJobs.step(String(new Types.ObjectId()), 0));
}

async function loop(until: number, durations: number[]): Promise<number> {
  let jobs = 0;
  while (Date.now() < until) {
    const jobsOfCall = bulk();
    const started = performance.now();
    await queue.addBulk(jobsOfCall);
    durations.push(performance.now() - started);
    jobs += jobsOfCall.length;
  }
  return jobs;
}

async function phase(ms: number): Promise<{ jobs: number; elapsedMs: number; durations: number[] }> {
  const durations: number[] = [];
  const started = performance.now();
  const until = Date.now() + ms;
  const counts = await Promise.all(Array.from({ length: concurrency }, () => loop(until, durations)));
  return { jobs: counts.reduce((a, b) => a + b, 0), elapsedMs: performance.now() - started, durations };
}

async function main(): Promise<void> {
  if (warmup > 0) await phase(warmup * 1000);
  await sleep(200);
  const run = await phase(seconds * 1000);
  const sorted = run.durations.sort((a, b) => a - b);
  const p99Ms = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  process.stdout.write(
    `${JSON.stringify({ jobsPerSecond: run.jobs / (run.elapsedMs / 1000), calls: sorted.length, p99Ms })}\n`,
  );
  // The jobs stay under the Vestnik run's prefix, whose keys the bench deletes when it stops.
  await queue.close();
  redis.disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`add-bulk-ceiling: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
