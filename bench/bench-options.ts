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

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A comma-separated subset of `names` (`--targets a,b`); all of them by default. */
export function commaList<const T extends readonly [string, ...string[]]>(names: T) {
  return z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(names)).min(1))
    .default([...names]);
}

const optionsSchema = z.object({
  duration: z.coerce.number().int().min(1).max(600).default(5),
  warmup: z.coerce.number().int().min(0).max(60).default(1),
  connections: z.coerce.number().int().min(1).max(1000).default(50),
  pipelining: z.coerce.number().int().min(1).max(100).default(1),
  runs: z.coerce.number().int().min(1).max(25).default(3),
  targets: commaList(targetNames),
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
  const names = ['duration', 'warmup', 'connections', 'pipelining', 'runs', 'targets', 'vestnik-log-level'];
  return parseCommandLine(argv, names, optionsSchema, usage);
}

/**
 * `--kebab-name value` options, each a string, validated by `schema` under its camelCase name;
 * `--help`, an unknown option or an invalid value throws `BenchUsageError` with `usage`.
 */
export function parseCommandLine<S extends z.ZodType>(
  argv: string[],
  names: readonly string[],
  schema: S,
  usageText: string,
): z.output<S> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean' as const },
      },
    }).values;
  } catch (error) {
    throw new BenchUsageError(`${(error as Error).message}\n${usageText}`);
  }
  if (values.help) throw new BenchUsageError(usageText);
  const camel = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
  const parsed = schema.safeParse(camel);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  --${kebab(issue.path.join('.'))}: ${issue.message}`,
    );
    throw new BenchUsageError(`Invalid options:\n${problems.join('\n')}\n${usageText}`);
  }
  return parsed.data;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
