import { parseArgs } from 'node:util';
import { z } from 'zod';

export const targetNames = [
  'raw-node',
  'bare-express',
  'vestnik-healthz',
  'vestnik-authenticated',
  'raw-ingress',
  'vestnik-webhook',
] as const;
export type TargetName = (typeof targetNames)[number];

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionsSchema = z.object({
  duration: z.coerce.number().int().min(1).max(600).default(5),
  warmup: z.coerce.number().int().min(0).max(60).default(1),
  connections: z.coerce.number().int().min(1).max(1000).default(50),
  pipelining: z.coerce.number().int().min(1).max(100).default(1),
  runs: z.coerce.number().int().min(1).max(25).default(3),
  targets: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(targetNames)).min(1))
    .default([...targetNames]),
  vestnikLogLevel: z.enum(logLevels).default('info'),
});

export type BenchOptions = z.output<typeof optionsSchema>;

export const usage = `Usage: npm run bench -- [options]
  --duration <s>          measured seconds per run (default 5)
  --warmup <s>            warm-up seconds before each run, discarded (default 1)
  --connections <n>       concurrent connections (default 50)
  --pipelining <n>        pipelined requests per connection (default 1)
  --runs <n>              runs per target; the median is reported (default 3)
  --targets <a,b>         subset of ${targetNames.join(', ')}
  --vestnik-log-level <l> LOG_LEVEL of the Vestnik child (default info; silent to measure logging's cost)`;

export class BenchUsageError extends Error {}

/** Parses and validates the command line (`--name value` or `--name=value`). */
export function parseBenchOptions(argv: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        pipelining: { type: 'string' },
        runs: { type: 'string' },
        targets: { type: 'string' },
        'vestnik-log-level': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new BenchUsageError(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) throw new BenchUsageError(usage);
  const parsed = optionsSchema.safeParse({ ...values, vestnikLogLevel: values['vestnik-log-level'] });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  --${kebab(issue.path.join('.'))}: ${issue.message}`,
    );
    throw new BenchUsageError(`Invalid options:\n${problems.join('\n')}\n${usage}`);
  }
  return parsed.data;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
