import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchOptions, TargetName } from './bench-options';
import type { CpuPinning } from './cpu-pinning';
import type { RunResult } from './load';

export interface TargetSummary {
  runs: RunResult[];
  medianRequestsPerSec: number;
  medianP99Ms: number;
  ratioToRawNode: number | null;
  ratioToBareExpress: number | null;
}

export interface BenchReport {
  generatedAt: string;
  machine: {
    cpuModel: string;
    cpuCount: number;
    nodeVersion: string;
    platform: string;
    release: string;
    /** CPUs the servers and the load generator were pinned to (null: not pinned). */
    pinning: { serverCpu: string | null; loadCpus: string | null };
  };
  settings: {
    durationSeconds: number;
    warmupSeconds: number;
    connections: number;
    pipelining: number;
    runs: number;
    vestnikLogLevel: string;
  };
  targets: Partial<Record<TargetName, TargetSummary>>;
  goal: { description: string; ratio: number | null; met: boolean };
  /** The webhook ingress against the same work done without a framework, on the same storage. */
  ingress: { ratio: number | null };
}

export const GOAL_RATIO = 0.7;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The machine a report was measured on. */
export function machineInfo() {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpuCount: os.cpus().length,
    nodeVersion: process.version,
    platform: os.platform(),
    release: os.release(),
  };
}

export function buildReport(
  options: BenchOptions,
  measured: ReadonlyMap<TargetName, RunResult[]>,
  pinning: Pick<CpuPinning, 'serverCpu' | 'loadCpus'>,
): BenchReport {
  const medianRps = (name: TargetName) => {
    const runs = measured.get(name);
    return runs ? median(runs.map((r) => r.requestsPerSec)) : null;
  };
  const raw = medianRps('raw-node');
  const bare = medianRps('bare-express');
  const targets: Partial<Record<TargetName, TargetSummary>> = {};
  for (const [name, runs] of measured) {
    const rps = median(runs.map((r) => r.requestsPerSec));
    targets[name] = {
      runs,
      medianRequestsPerSec: rps,
      medianP99Ms: median(runs.map((r) => r.p99Ms)),
      ratioToRawNode: raw ? rps / raw : null,
      ratioToBareExpress: bare ? rps / bare : null,
    };
  }
  const goalRatio = targets['vestnik-authenticated']?.ratioToBareExpress ?? null;
  return {
    generatedAt: new Date().toISOString(),
    machine: { ...machineInfo(), pinning: { serverCpu: pinning.serverCpu, loadCpus: pinning.loadCpus } },
    settings: {
      durationSeconds: options.duration,
      warmupSeconds: options.warmup,
      connections: options.connections,
      pipelining: options.pipelining,
      runs: options.runs,
      vestnikLogLevel: options.vestnikLogLevel,
    },
    targets,
    ingress: { ratio: ingressRatio(targets) },
    goal: {
      description: 'authenticated Vestnik route >= 70% of bare express',
      ratio: goalRatio,
      met: goalRatio !== null && goalRatio >= GOAL_RATIO,
    },
  };
}

function ingressRatio(targets: Partial<Record<TargetName, TargetSummary>>): number | null {
  const ceiling = targets['raw-ingress']?.medianRequestsPerSec;
  const webhook = targets['vestnik-webhook']?.medianRequestsPerSec;
  return ceiling && webhook !== undefined ? webhook / ceiling : null;
}

const header = ['Target', 'Median req/s', 'p99 ms', 'vs raw node', 'vs bare express'];

function rows(report: BenchReport): string[][] {
  const percent = (ratio: number | null) => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)} %`);
  return Object.entries(report.targets).map(([name, t]) => [
    name,
    Math.round(t.medianRequestsPerSec).toLocaleString('en-US'),
    t.medianP99Ms.toFixed(1),
    percent(t.ratioToRawNode),
    percent(t.ratioToBareExpress),
  ]);
}

export function renderTextTable(report: BenchReport): string {
  const all = [header, ...rows(report)];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows(report).map(line)].join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const { machine: m, settings: s, goal } = report;
  const table = [
    `| ${header.join(' | ')} |`,
    `| --- | ${header
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
    ...rows(report).map((row) => `| ${row.join(' | ')} |`),
  ];
  const goalLine =
    goal.ratio === null
      ? `Goal (${goal.description}): not measured.`
      : `Goal (${goal.description}): ${(goal.ratio * 100).toFixed(1)} %, ${goal.met ? 'met' : 'not met'}.`;
  return [
    ...table,
    '',
    `Median of ${s.runs} runs of ${s.durationSeconds} s (after ${s.warmupSeconds} s warm-up), ` +
      `${s.connections} connections, pipelining ${s.pipelining}, autocannon; Vestnik LOG_LEVEL=${s.vestnikLogLevel}. ` +
      `${m.cpuModel} × ${m.cpuCount}, Node ${m.nodeVersion}, ${m.platform}; ${report.generatedAt.slice(0, 10)}.`,
    goalLine,
    ...(report.ingress.ratio === null
      ? []
      : [
          `Webhook ingress (verify, store, queue): vestnik-webhook is ${(report.ingress.ratio * 100).toFixed(1)} % of raw-ingress (the same work on raw node:http + driver + BullMQ, same database).`,
        ]),
    '',
  ].join('\n');
}

/** Writes `results/<date>.json`, `results/latest.json` and `results/latest.md`; returns their paths. */
export async function writeReport(resultsDir: string, report: BenchReport): Promise<string[]> {
  await mkdir(resultsDir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const files = [
    path.join(resultsDir, `${report.generatedAt.replace(/:/g, '-')}.json`),
    path.join(resultsDir, 'latest.json'),
  ];
  for (const file of files) await writeFile(file, json);
  const md = path.join(resultsDir, 'latest.md');
  await writeFile(md, renderMarkdown(report));
  return [...files, md];
}
