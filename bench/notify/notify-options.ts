import { z } from 'zod';
import { commaList, logLevels, parseCommandLine } from '../bench-options';

export const notifyParts = ['accept', 'latency', 'batch'] as const;
export type NotifyPart = (typeof notifyParts)[number];

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const optionsSchema = z.object({
  duration: int(1, 600, 10),
  warmup: int(0, 60, 2),
  runs: int(1, 25, 3),
  connections: int(1, 1000, 10),
  batchConnections: int(1, 64, 2),
  rate: int(1, 5000, 200),
  latencySeconds: int(1, 600, 20),
  total: int(1000, 1_000_000, 100_000),
  window: int(5, 600, 60),
  notifyLimit: int(1, 1000, 50),
  parts: commaList(notifyParts),
  vestnikLogLevel: z.enum(logLevels).default('info'),
  label: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and -')
    .optional(),
});

export type NotifyOptions = z.output<typeof optionsSchema>;

export const notifyUsage = `Usage: npm run bench -- notify [options]
  --parts <a,b>           subset of ${notifyParts.join(', ')} (default: all)
  accept (a): autocannon against POST /v1/notifications and /batch (vestnik serve: API only)
  --duration <s>          measured seconds per run (default 10)
  --warmup <s>            discarded warm-up seconds before each run (default 2)
  --runs <n>              rounds; medians are reported (default 3)
  --connections <n>       connections for single accepts and their ceiling (default 10)
  --batch-connections <n> connections for batches of 1000, and addBulk calls in flight (default 2)
  latency (b): accept -> delivered through the sandbox (vestnik start: API and workers)
  --rate <n>              offered notifications per second (default 200)
  --latency-seconds <s>   how long the load is offered (default 20)
  batch (c): a large batch to a notification-gateway channel
  --total <n>             notifications, in batches of 1000 (default 100000)
  --window <s>            seconds of sending measured after the accept (default 60)
  --notify-limit <n>      the channel's and the gateway account's sends per second (default 50)
  --vestnik-log-level <l> LOG_LEVEL of the Vestnik child (default info)
  --label <name>          write notify-<name>-*.json / .md instead of notify-latest (a side run)`;

const valueOptions = [
  'duration',
  'warmup',
  'runs',
  'connections',
  'batch-connections',
  'rate',
  'latency-seconds',
  'total',
  'window',
  'notify-limit',
  'parts',
  'vestnik-log-level',
  'label',
];

/** Parses `npm run bench -- notify …` (the arguments after `notify`). */
export function parseNotifyOptions(argv: string[]): NotifyOptions {
  return parseCommandLine(argv, valueOptions, optionsSchema, notifyUsage);
}
