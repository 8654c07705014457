import { z } from 'zod';

const intList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of integers')
  .transform((value) => value.split(',').map(Number));

const optionsSchema = z.object({
  rates: intList.pipe(z.array(z.number().int().min(1).max(5000))).default([200, 500]),
  seconds: z.coerce.number().int().min(2).max(600).default(20),
  sockets: z.coerce.number().int().min(1).max(2000).default(200),
  /** Distinct customers the inbound messages come from (conversations). */
  senders: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** How long to wait after the load for the last events. */
  drainSeconds: z.coerce.number().int().min(1).max(600).default(30),
  label: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
  vestnikLogLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'),
});
export type InboxBenchOptions = z.output<typeof optionsSchema>;

export const inboxUsage = `Usage: npm run bench -- inbox [options]
  --rates 200,500        inbound messages per second, one run each (default 200,500)
  --seconds 20           length of each run
  --sockets 200          connected operator sockets
  --senders 1000         distinct customers (conversations)
  --drain-seconds 30     wait for the last events after the load
  --label name           results go to bench/results/inbox-<label>.md (default inbox-latest.md)
  --vestnik-log-level    warn (default), info…`;

export class InboxBenchUsageError extends Error {}

/** Parses `--name value` pairs (kebab-case names) with zod; unknown or bad options → usage error. */
export function parseInboxOptions(argv: readonly string[]): InboxBenchOptions {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i] ?? '';
    const value = argv[i + 1];
    if (!name.startsWith('--') || value === undefined) throw new InboxBenchUsageError(inboxUsage);
    raw[name.slice(2).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
  }
  const parsed = optionsSchema.strict().safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`);
    throw new InboxBenchUsageError(`${problems.join('\n')}\n${inboxUsage}`);
  }
  return parsed.data;
}
