import { z } from 'zod';
import { logLevels, parseCommandLine } from '../bench-options';

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const optionsSchema = z.object({
  /** Measured seconds of each in-process part (matcher, its ceiling, the engine). */
  seconds: int(1, 600, 5),
  /** Customer messages per second offered to the bot (open loop). */
  rate: int(1, 200, 5),
  /** Customer messages per target (each from a user of its own). */
  messages: int(10, 100_000, 200),
  /** How long to wait for the last replies after the load. */
  drainSeconds: int(1, 600, 30),
  skipMatcher: z.stringbool().default(false),
  skipLatency: z.stringbool().default(false),
  vestnikLogLevel: z.enum(logLevels).default('warn'),
  label: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and -')
    .optional(),
});

export type BotBenchOptions = z.output<typeof optionsSchema>;

export const botUsage = `Usage: npm run bench -- bot [options]
  matcher (in-process, one core): 500 synthetic FAQ entries, and the shipped shop FAQ through runTurn
  --seconds <s>           measured seconds of each in-process loop (default 5)
  --skip-matcher          leave the in-process part out
  latency: a customer's Telegram message -> the bot's reply, through the sandbox
  --rate <n>              messages per second, open loop (default 5)
  --messages <n>          messages per target, each from a user of its own (default 200)
  --drain-seconds <s>     wait for the last replies after the load (default 30)
  --skip-latency          leave the latency part out
  --vestnik-log-level <l> LOG_LEVEL of the Vestnik child (default warn)
  --label <name>          results go to bench/results/bot-<name>.md (default bot-latest)`;

const valueOptions = ['seconds', 'rate', 'messages', 'drain-seconds', 'vestnik-log-level', 'label'];
const flags = ['skip-matcher', 'skip-latency'];

/** Parses `npm run bench -- bot …` (the arguments after `bot`); a bare `--skip-x` means `--skip-x true`. */
export function parseBotOptions(argv: readonly string[]): BotBenchOptions {
  const withValues = argv.flatMap((arg, index) => {
    const next = argv[index + 1];
    const bare = flags.includes(arg.replace(/^--/, '')) && (next === undefined || next.startsWith('--'));
    return bare ? [`${arg}=true`] : [arg];
  });
  return parseCommandLine(withValues, [...valueOptions, ...flags], optionsSchema, botUsage);
}
