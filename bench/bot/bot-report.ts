import type { CpuPinning } from '../cpu-pinning';
import { machineInfo } from '../report';
import type { BotBenchOptions } from './bot-options';
import type { EngineResults } from './engine-bench';
import type { MatcherResults } from './matcher-bench';
import type { ReplyLatencyFigures } from './reply-latency-bench';

export const matchesTarget = 5000;
export const p99TargetMs = 150;

/** Inbound → reply through the sandbox: Vestnik and its ceiling under the same load. */
export interface LatencyResults {
  vestnik: ReplyLatencyFigures;
  ceiling: ReplyLatencyFigures;
  flowSetup: string;
  /** How long the first message took before the load (flow loaded, caches cold). */
  probeMs: number;
  warmupMessages: number;
}

export interface BotBenchResults {
  command: string;
  options: BotBenchOptions;
  pinning: Pick<CpuPinning, 'serverCpu' | 'loadCpus'>;
  /** `os.loadavg()` before and after the run: the machine is shared. */
  loadBefore: number[];
  loadAfter: number[];
  matcher?: MatcherResults;
  engine?: EngineResults;
  latency?: LatencyResults;
  failures: string[];
  at: Date;
}

type Row = [figure: string, measured: string, target: string, result: string, ceiling: string, ratio: string];

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const us = (value: number) => `${value.toFixed(1)} µs`;
const times = (value: number, ceiling: number) => (ceiling > 0 ? `${(value / ceiling).toFixed(2)}×` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : 'missed');

function matcherRows(m: MatcherResults): Row[] {
  return [
    [
      `matches/s, ${m.entries} FAQ entries, one core`,
      `${int(m.matcher.perSecond)}/s`,
      `≥ ${int(matchesTarget)}/s`,
      verdict(m.matcher.perSecond >= matchesTarget),
      `\`stemTokens\` (normalize, tokenize, stem): ${int(m.ceiling.perSecond)}/s`,
      times(m.matcher.perSecond, m.ceiling.perSecond),
    ],
    [
      'time per match, mean / p99 of batches',
      `${us(m.matcher.meanUs)} / ${us(m.matcher.p99Us)}`,
      '',
      '',
      `${us(m.ceiling.meanUs)} / ${us(m.ceiling.p99Us)}`,
      times(m.matcher.meanUs, m.ceiling.meanUs),
    ],
  ];
}

function engineRows(e: EngineResults): Row[] {
  return [
    [
      `whole engine: \`runTurn\` turns/s, ${e.flowName} (${e.entries} FAQ entries)`,
      `${int(e.turns.perSecond)}/s`,
      '',
      '',
      `\`stemTokens\` of the same texts: ${int(e.ceiling.perSecond)}/s`,
      times(e.turns.perSecond, e.ceiling.perSecond),
    ],
  ];
}

const cpu = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} ms`);

function latencyRows(l: LatencyResults): Row[] {
  const { vestnik: v, ceiling: c } = l;
  const atLeast = v.p99IsLowerBound ? '≥ ' : '';
  const row = (figure: string, value: number, ceiling: number): Row => [
    figure,
    ms(value),
    '',
    '',
    ms(ceiling),
    times(value, ceiling),
  ];
  return [
    row('inbound → bot reply p50 (ceiling: raw echo bot)', v.first.p50Ms, c.first.p50Ms),
    row('inbound → bot reply p90', v.first.p90Ms, c.first.p90Ms),
    [
      'inbound → bot reply p99',
      `${atLeast}${ms(v.first.p99Ms)}`,
      `≤ ${p99TargetMs} ms`,
      verdict(v.first.p99Ms <= p99TargetMs && !v.p99IsLowerBound),
      ms(c.first.p99Ms),
      times(v.first.p99Ms, c.first.p99Ms),
    ],
    row('inbound → bot reply max', v.first.maxMs, c.first.maxMs),
    row('inbound → last message of the answer p50', v.complete.p50Ms, c.complete.p50Ms),
    row('inbound → last message of the answer p99', v.complete.p99Ms, c.complete.p99Ms),
    [
      'replies missing after the drain',
      `${v.missing} of ${v.offered}`,
      '0',
      verdict(v.missing === 0),
      `${c.missing} of ${c.offered}`,
      '',
    ],
    [
      'CPU per customer message: bot process (+ FerretDB)',
      `${cpu(v.cpuMsPerMessage)} (${cpu(v.cpuMsPerMessageWithHelpers)})`,
      '',
      '',
      cpu(c.cpuMsPerMessage),
      v.cpuMsPerMessage !== null && c.cpuMsPerMessage ? times(v.cpuMsPerMessage, c.cpuMsPerMessage) : 'n/a',
    ],
  ];
}

function notes(r: BotBenchResults): string[] {
  const m = machineInfo();
  const lines = [
    `Machine: ${m.cpuModel} × ${m.cpuCount} vCPU, Node ${m.nodeVersion}, ${m.platform} ${m.release}; ` +
      `load average (1/5/15 min) ${r.loadBefore.map((x) => x.toFixed(2)).join(' / ')} before, ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')} after — shared with other engineers' test runs, so absolute figures are noisy; the ratios compare like with like.`,
    `CPUs: servers (Vestnik, its embedded FerretDB, the raw echo bot) on CPU ${r.pinning.serverCpu ?? 'any'}; this process (matcher loops, sandbox, load) on CPU ${r.pinning.loadCpus ?? 'any'}; Redis is shared and unpinned.`,
  ];
  if (r.matcher) {
    const m2 = r.matcher;
    lines.push(
      `Matcher: \`createMatcher\` over \`buildSyntheticFaq(${m2.entries})\` (built in ${m2.buildMs.toFixed(0)} ms), \`match()\` over \`sampleQueries(…, ${m2.queries})\` (reworded questions, typos, greetings, one in five unrelated); ` +
        `${m2.correct} of ${m2.queries} (${((m2.correct / m2.queries) * 100).toFixed(1)} %) matched the entry they came from or missed when unrelated. ` +
        `${r.options.seconds} round(s) of 1 s per loop after a discarded 1 s warm-up, loops alternating per round; batches of 32 calls timed with performance.now().`,
    );
  }
  if (r.engine) {
    lines.push(
      `Engine: ${r.engine.source}; each turn a first turn of a new conversation (no session), ${r.engine.queries} texts made by \`sampleQueries\` from the flow's FAQ questions; ${r.engine.outcomes}.`,
    );
  }
  if (r.latency) lines.push(...latencyNotes(r.options, r.latency));
  return [...lines, ...r.failures.map((failure) => `FAILED: ${failure}`)];
}

function latencyNotes(options: BotBenchOptions, l: LatencyResults): string[] {
  const { vestnik: v, ceiling: c } = l;
  return [
    `Latency: \`vestnik start\` (API and workers in one process, embedded FerretDB, LOG_LEVEL=${options.vestnikLogLevel}), a Telegram channel on a bot of the in-process sandbox; flow ${l.flowSetup}. ` +
      `Open loop: ${options.messages} messages per target at ${options.rate}/s (achieved ${v.achievedRate.toFixed(2)}/s Vestnik, ${c.achievedRate.toFixed(2)}/s ceiling), each from a Telegram user of its own (a first contact: contact and conversation created; Telegram's 1 message/s per chat cannot bind), texts: the shop FAQ's questions reworded by \`sampleQueries\` (lower-cased, typos, greetings, words reversed or dropped). ` +
      `A probe message first (answered in ${l.probeMs.toFixed(0)} ms, flow loaded) and ${l.warmupMessages} discarded warm-up messages.`,
    "Clock: starts in this process just before the sandbox posts the Telegram update to the webhook (the simulator does no I/O before that request); stops when the sandbox Bot API has accepted the bot's `sendMessage` to that chat (Node's `http.server.response.finish` diagnostics channel, chat id from the parsed body), both `performance.now()`. So it covers webhook → verify → store → queue → ingest → flow turn → reply stored → `sendMessage`. " +
      `The bot reply (the target's figure) is the bot's first message in the chat. A first turn of the shop FAQ is two messages, its greeting and then the answer, and Vestnik paces messages to one chat at Telegram's 1 message/s, so the last message of the answer comes about a second after the first by design; it is the chat's last message once every measured chat had one and none got another for 1 s. ` +
      `Bot messages: ${v.messages} to ${v.offered} customers (Vestnik), ${c.messages} (ceiling); Bot API 429s: ${v.rateLimited} / ${c.rateLimited}. Missing replies are counted at the drain's end (${options.drainSeconds} s), a lower bound. ` +
      'CPU: user + system time from /proc of the bot process (and of its embedded FerretDB) over the run and its drain, divided by the customer messages; Redis and the sandbox are not counted.',
    'Ceiling: `bench/bot/raw-echo-bot.ts`, bare node:http on the server CPU, registered as the webhook of its own sandbox bot: checks the secret token, answers 200, calls `sendMessage` with a fixed text. Same sandbox, same load, same clock.',
  ];
}

function table(rows: readonly Row[]): string[] {
  return [
    '| Figure | Measured | Target | Result | Ceiling (same run) | Ratio |',
    '|---|---:|---:|---|---|---:|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

export function renderBotMarkdown(r: BotBenchResults): string {
  const rows = [
    ...(r.matcher ? matcherRows(r.matcher) : []),
    ...(r.engine ? engineRows(r.engine) : []),
    ...(r.latency ? latencyRows(r.latency) : []),
  ];
  return [
    `# Bot flows benchmark, ${r.at.toISOString()}`,
    '',
    `Command: \`${r.command}\``,
    '',
    ...table(rows),
    '',
    ...notes(r).flatMap((line) => [line, '']),
  ].join('\n');
}
