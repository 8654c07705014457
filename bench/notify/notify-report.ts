import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CpuPinning } from '../cpu-pinning';
import { machineInfo } from '../report';
import { type AcceptResults, summarizeAccept } from './accept-bench';
import type { BatchResults } from './batch-bench';
import type { LatencyResults } from './latency-bench';
import type { NotifyOptions } from './notify-options';

/** One line of the table: a figure, the ceiling it is measured against (same run), the target. */
export interface Figure {
  part: 'a' | 'b' | 'c';
  name: string;
  value: number;
  unit: string;
  ceiling: { name: string; value: number } | null;
  /** value / ceiling. */
  ratio: number | null;
  target: string | null;
  /** null: no target for this figure (context only). */
  met: boolean | null;
  /** The value is a lower bound (work still unfinished when measured). */
  atLeast?: boolean;
}

export interface NotifyReport {
  generatedAt: string;
  command: string;
  machine: { cpuModel: string; cpuCount: number; nodeVersion: string; platform: string; release: string };
  pinning: { serverCpu: string | null; loadCpus: string | null };
  options: NotifyOptions;
  figures: Figure[];
  raw: { accept?: AcceptResults; latency?: LatencyResults; batch?: BatchResults };
  notes: string[];
}

const figure = (f: Omit<Figure, 'ratio'> & { ratio?: number | null }): Figure => ({
  ...f,
  ratio: f.ratio ?? (f.ceiling && f.ceiling.value > 0 ? f.value / f.ceiling.value : null),
});

function acceptFigures(accept: AcceptResults): Figure[] {
  const s = summarizeAccept(accept);
  const single = s.singlePerSec / s.rawJsonPerSec;
  const batch = s.batchItemsPerSec / s.addBulkJobsPerSec;
  return [
    figure({
      part: 'a',
      name: 'single accepts/s',
      value: s.singlePerSec,
      unit: '/s',
      ceiling: { name: 'raw node:http JSON POST', value: s.rawJsonPerSec },
      target: '>= 15 %',
      met: single >= 0.15,
    }),
    figure({
      part: 'a',
      name: 'single accept p99',
      value: s.singleP99Ms,
      unit: 'ms',
      ceiling: null,
      target: '<= 50 ms',
      met: s.singleP99Ms <= 50,
    }),
    figure({
      part: 'a',
      name: 'batch items/s (1000 a batch)',
      value: s.batchItemsPerSec,
      unit: '/s',
      ceiling: { name: 'BullMQ addBulk(1000) alone', value: s.addBulkJobsPerSec },
      target: '>= 50 %',
      met: batch >= 0.5,
    }),
    figure({
      part: 'a',
      name: 'batch p99 (one batch of 1000)',
      value: s.batchP99Ms,
      unit: 'ms',
      ceiling: null,
      target: null,
      met: null,
    }),
  ];
}

function latencyFigures(l: LatencyResults): Figure[] {
  const atLeast = l.p99IsLowerBound;
  return [
    figure({
      part: 'b',
      name: `offered load (${l.channel})`,
      value: l.achievedOfferedPerSecond,
      unit: '/s',
      ceiling: { name: 'asked', value: l.offeredPerSecond },
      target: null,
      met: null,
    }),
    figure({
      part: 'b',
      name: 'accept -> delivered p50',
      value: l.p50Ms,
      unit: 'ms',
      ceiling: null,
      target: null,
      met: null,
      atLeast,
    }),
    figure({
      part: 'b',
      name: 'accept -> delivered p99',
      value: l.p99Ms,
      unit: 'ms',
      ceiling: null,
      target: '<= 250 ms',
      met: !atLeast && l.p99Ms <= 250,
      atLeast,
    }),
    figure({
      part: 'b',
      name: 'delivered when the wait ended',
      value: l.delivered,
      unit: '',
      ceiling: { name: 'accepted', value: l.accepted },
      target: null,
      met: null,
    }),
  ];
}

function batchFigures(b: BatchResults, addBulk: number | null): Figure[] {
  const acceptRate = b.accepted / b.acceptWallSeconds;
  return [
    figure({
      part: 'c',
      name: `accept wall time (${b.accepted} of ${b.total} accepted)`,
      value: b.acceptWallSeconds,
      unit: 's',
      ceiling: null,
      target: null,
      met: null,
    }),
    figure({
      part: 'c',
      name: 'accepted items/s over that time',
      value: acceptRate,
      unit: '/s',
      ceiling: addBulk ? { name: 'BullMQ addBulk(1000) alone', value: addBulk } : null,
      target: null,
      met: null,
    }),
    figure({
      part: 'c',
      name: 'batches sent within 15 min',
      value: b.sentBatches,
      unit: '',
      ceiling: { name: 'batches', value: b.batches },
      target: null,
      met: null,
    }),
    figure({
      part: 'c',
      name: 'batches refused (not 202)',
      value: b.failedBatches,
      unit: '',
      ceiling: { name: 'batches sent', value: b.sentBatches },
      target: '= 0',
      met: b.failedBatches === 0,
    }),
    figure({
      part: 'c',
      name: 'peak RSS of the Vestnik process',
      value: b.peakRssMb,
      unit: 'MB',
      ceiling: null,
      target: '<= 400 MB',
      met: b.peakRssMb <= 400,
    }),
    figure({
      part: 'c',
      name: `send rate over ${b.windowSeconds} s after the accept`,
      value: b.achievedPerSecond,
      unit: '/s',
      ceiling: { name: 'channel limit', value: b.limitPerSecond },
      target: '>= 95 %',
      met: b.achievedPerSecond / b.limitPerSecond >= 0.95,
    }),
    figure({
      part: 'c',
      name: 'platform rate-limit errors (429)',
      value: b.rateLimitErrors,
      unit: '',
      ceiling: null,
      target: '= 0',
      met: b.rateLimitErrors === 0,
    }),
    figure({
      part: 'c',
      name: 'most notifications to one phone',
      value: b.maxPerRecipient,
      unit: '',
      ceiling: { name: 'gateway per-user limit (24 h)', value: 5 },
      target: '<= 5',
      met: b.maxPerRecipient <= 5,
    }),
  ];
}

export function buildNotifyReport(input: {
  command: string;
  options: NotifyOptions;
  pinning: Pick<CpuPinning, 'serverCpu' | 'loadCpus'>;
  accept?: AcceptResults;
  latency?: LatencyResults;
  batch?: BatchResults;
  notes: string[];
}): NotifyReport {
  const addBulk = input.accept ? summarizeAccept(input.accept).addBulkJobsPerSec : null;
  return {
    generatedAt: new Date().toISOString(),
    command: input.command,
    machine: machineInfo(),
    pinning: { serverCpu: input.pinning.serverCpu, loadCpus: input.pinning.loadCpus },
    options: input.options,
    figures: [
      ...(input.accept ? acceptFigures(input.accept) : []),
      ...(input.latency ? latencyFigures(input.latency) : []),
      ...(input.batch ? batchFigures(input.batch, addBulk) : []),
    ],
    raw: { accept: input.accept, latency: input.latency, batch: input.batch },
    notes: input.notes,
  };
}

const header = ['', 'Figure', 'Value', 'Ceiling (same run)', 'Ratio', 'Target', 'Result'];

function number(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
}

function rows(report: NotifyReport): string[][] {
  return report.figures.map((f) => [
    `(${f.part})`,
    f.name,
    `${f.atLeast ? '>= ' : ''}${number(f.value)}${f.unit ? ` ${f.unit}` : ''}`,
    f.ceiling ? `${number(f.ceiling.value)} (${f.ceiling.name})` : '',
    f.ratio === null ? '' : `${(f.ratio * 100).toFixed(1)} %`,
    f.target ?? '',
    f.met === null ? '' : f.met ? 'PASS' : 'FAIL',
  ]);
}

export function renderNotifyTable(report: NotifyReport): string {
  const all = [header, ...rows(report)];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows(report).map(line)].join('\n');
}

export function renderNotifyMarkdown(report: NotifyReport): string {
  const o = report.options;
  const m = report.machine;
  return [
    `# Notification benchmark (${report.generatedAt.slice(0, 10)})`,
    '',
    `\`${report.command}\` — ${m.cpuModel} × ${m.cpuCount}, Node ${m.nodeVersion}, ${m.platform}; ` +
      `servers on CPU ${report.pinning.serverCpu ?? 'any'}, load generator and sandbox on ${report.pinning.loadCpus ?? 'any'}; ` +
      `embedded FerretDB (SQLite) and Redis on this machine; Vestnik LOG_LEVEL=${o.vestnikLogLevel}.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows(report).map((row) => `| ${row.join(' | ')} |`),
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}

/**
 * Writes `notify-<date>.json`, `notify-latest.json` and `notify-latest.md` (the HTTP bench keeps
 * `latest.*`); with a label, `notify-<label>-<date>.json` and `notify-<label>.md`.
 */
export async function writeNotifyReport(resultsDir: string, report: NotifyReport): Promise<string[]> {
  await mkdir(resultsDir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const stem = report.options.label ? `notify-${report.options.label}` : 'notify';
  const files = [path.join(resultsDir, `${stem}-${report.generatedAt.replace(/:/g, '-')}.json`)];
  if (!report.options.label) files.push(path.join(resultsDir, 'notify-latest.json'));
  for (const file of files) await writeFile(file, json);
  const md = path.join(resultsDir, report.options.label ? `${stem}.md` : 'notify-latest.md');
  await writeFile(md, renderNotifyMarkdown(report));
  return [...files, md];
}
