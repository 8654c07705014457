import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Sandbox } from '../../src/sandbox/sandbox-server';
import { LineWatcher, packageRoot, spawnPortServer, stopChild } from '../child-process';
import type { CpuPinning } from '../cpu-pinning';
import { type LoadTarget, measure, type RunResult } from '../load';
import { median } from '../report';
import { startVestnik } from '../vestnik-server';
import { createApiClient } from './api-client';
import type { NotifyOptions } from './notify-options';
import {
  approvedTemplate,
  benchParams,
  benchTemplate,
  moderatorSession,
  smsChannel,
} from './notify-workspace';

/** (a) What the accept path takes, each figure next to its ceiling measured in the same rounds. */
export interface AcceptResults {
  /** Raw node:http JSON POST (same body as a single notification). */
  rawJson: RunResult[];
  /** `POST /v1/notifications`. */
  single: RunResult[];
  /** BullMQ `addBulk(1000)` alone: jobs/s in `requestsPerSec`, p99 of one call. */
  addBulk: RunResult[];
  /** `POST /v1/notifications/batch` of 1000 items: items/s in `requestsPerSec`, p99 of one batch. */
  batch: RunResult[];
  singleBodyBytes: number;
  batchBodyBytes: number;
}

export interface AcceptSummary {
  rawJsonPerSec: number;
  singlePerSec: number;
  singleP99Ms: number;
  addBulkJobsPerSec: number;
  batchItemsPerSec: number;
  batchP99Ms: number;
}

export function summarizeAccept(results: AcceptResults): AcceptSummary {
  const rps = (runs: RunResult[]) => median(runs.map((r) => r.requestsPerSec));
  const p99 = (runs: RunResult[]) => median(runs.map((r) => r.p99Ms));
  return {
    rawJsonPerSec: rps(results.rawJson),
    singlePerSec: rps(results.single),
    singleP99Ms: p99(results.single),
    addBulkJobsPerSec: rps(results.addBulk),
    batchItemsPerSec: rps(results.batch),
    batchP99Ms: p99(results.batch),
  };
}

const batchSize = 1000;

function notificationBody(smsChannelId: string, index: number) {
  return {
    to: { phone: `+7915${String(index % 10_000_000).padStart(7, '0')}` },
    template: { name: benchTemplate.name, params: benchParams },
    route: [{ channel: smsChannelId, ttl: '1h' }],
  };
}

function postTarget(url: string, apiKey: string | null, body: string): LoadTarget {
  const headers = {
    'content-type': 'application/json',
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
  return { url, headers: {}, post: () => ({ body, headers }) };
}

/** Runs `dist/bench/servers/<name>.js` to its end on the server CPU; returns its JSON line. */
async function runJsonChild(name: string, pinning: CpuPinning, env: Record<string, string>) {
  const start = pinning.wrap([path.join(packageRoot, 'dist', 'bench', 'servers', `${name}.js`)]);
  const child = spawn(start.command, start.args, {
    cwd: packageRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!child.stdout) throw new Error(`${name}: no stdout`);
  try {
    const line = await new LineWatcher(child, child.stdout).waitFor(/^(\{.*\})$/, 600_000, name);
    return JSON.parse(line) as { jobsPerSecond: number; p99Ms: number };
  } finally {
    await stopChild(child, 10_000);
  }
}

/**
 * `vestnik serve` (the API role: no queue workers, so the accepted notifications and their jobs
 * stay put and are deleted with the run) against a raw node:http JSON server for single POSTs,
 * and against BullMQ `addBulk(1000)` of the same jobs on the same Redis for batches.
 */
export async function benchAccept(
  options: NotifyOptions,
  sandbox: Sandbox,
  pinning: CpuPinning,
  note: (line: string) => void,
): Promise<AcceptResults> {
  const vestnik = await startVestnik({ logLevel: options.vestnikLogLevel, note, pinning, role: 'serve' });
  const raw = await spawnPortServer('raw-json-server', pinning).catch(async (error: unknown) => {
    await vestnik.stop();
    throw error;
  });
  try {
    const base = `http://127.0.0.1:${vestnik.port}`;
    const api = createApiClient(base, vestnik.apiKey);
    const smsId = await smsChannel(api, sandbox, 1000);
    await approvedTemplate(api, await moderatorSession(api, vestnik.local.operator), ['sms'], []);
    const single = JSON.stringify(notificationBody(smsId, 1));
    const batch = JSON.stringify({
      items: Array.from({ length: batchSize }, (_, i) => notificationBody(smsId, i)),
    });
    const checked = await api.call<{ accepted: number }>(
      'POST',
      '/notifications/batch',
      JSON.parse(batch),
      202,
    );
    if (checked.accepted !== batchSize)
      throw new Error(`bench: a batch accepted ${checked.accepted} of ${batchSize}`);
    await api.call('POST', '/notifications', JSON.parse(single), 202);
    const settings = (connections: number) => ({
      durationSeconds: options.duration,
      warmupSeconds: options.warmup,
      connections,
      pipelining: 1,
    });
    const targets = {
      rawJson: postTarget(`http://127.0.0.1:${raw.port}/`, null, single),
      single: postTarget(`${base}/v1/notifications`, vestnik.apiKey, single),
      batch: postTarget(`${base}/v1/notifications/batch`, vestnik.apiKey, batch),
    };
    const results: AcceptResults = {
      rawJson: [],
      single: [],
      addBulk: [],
      batch: [],
      singleBodyBytes: Buffer.byteLength(single),
      batchBodyBytes: Buffer.byteLength(batch),
    };
    for (let round = 1; round <= options.runs; round += 1) {
      const say = (name: string, run: RunResult, unit: string) =>
        note(
          `${name} round ${round}/${options.runs}: ${Math.round(run.requestsPerSec)} ${unit}, p99 ${run.p99Ms.toFixed(1)} ms`,
        );
      const rawRun = await measure('raw-json', targets.rawJson, settings(options.connections));
      say('raw-json', rawRun, 'req/s');
      results.rawJson.push(rawRun);
      const singleRun = await measure('notify-single', targets.single, settings(options.connections));
      say('notify-single', singleRun, 'accepted/s');
      results.single.push(singleRun);
      const bulk = await runJsonChild('add-bulk-ceiling', pinning, {
        BENCH_QUEUE_PREFIX: vestnik.queuePrefix,
        BENCH_SECONDS: String(options.duration),
        BENCH_WARMUP: String(options.warmup),
        BENCH_CONCURRENCY: String(options.batchConnections),
        BENCH_BULK: String(batchSize),
      });
      const bulkRun = { requestsPerSec: bulk.jobsPerSecond, p99Ms: bulk.p99Ms };
      say('add-bulk-ceiling', bulkRun, 'jobs/s');
      results.addBulk.push(bulkRun);
      const batchRun = await measure('notify-batch', targets.batch, settings(options.batchConnections));
      const items = { requestsPerSec: batchRun.requestsPerSec * batchSize, p99Ms: batchRun.p99Ms };
      say('notify-batch', items, 'items/s');
      results.batch.push(items);
    }
    return results;
  } finally {
    await stopChild(raw.child, 5000);
    const { exit } = await vestnik.stop();
    note(`stopped: vestnik serve ${exit}`);
  }
}
