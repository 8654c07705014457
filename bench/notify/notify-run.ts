import path from 'node:path';
import type { Sandbox } from '../../src/sandbox/sandbox-server';
import { packageRoot } from '../child-process';
import { type CpuPinning, setUpCpuPinning } from '../cpu-pinning';
import { type AcceptResults, benchAccept } from './accept-bench';
import { type BatchResults, benchBatch } from './batch-bench';
import { type DeliveryStack, startDeliveryStack } from './delivery-stack';
import { benchLatency, type LatencyResults } from './latency-bench';
import { type NotifyOptions, parseNotifyOptions } from './notify-options';
import {
  buildNotifyReport,
  renderNotifyMarkdown,
  renderNotifyTable,
  writeNotifyReport,
} from './notify-report';
import { startBenchSandbox } from './notify-workspace';
import { PlatformTraffic } from './platform-traffic';

/**
 * `npm run bench -- notify`: (a) accept throughput against its ceilings, (b) accept → delivered
 * latency at a fixed offered load, (c) a 100 000-notification batch and the send rate after it.
 * Each part gets its own Vestnik and database, so what one leaves behind cannot slow the next.
 */

const note = (line: string) => process.stderr.write(`${line}\n`);

async function withDeliveryStack<T>(
  options: NotifyOptions,
  sandbox: Sandbox,
  pinning: CpuPinning,
  work: (stack: DeliveryStack) => Promise<T>,
): Promise<T> {
  const stack = await startDeliveryStack(options, sandbox, pinning, note);
  try {
    return await work(stack);
  } finally {
    note(`stopped: ${await stack.stop()}`);
  }
}

function notesFor(
  options: NotifyOptions,
  results: { accept?: AcceptResults; latency?: LatencyResults; batch?: BatchResults },
): string[] {
  const notes: string[] = [];
  const { accept, latency, batch } = results;
  if (accept) {
    notes.push(
      `(a) \`vestnik serve\` (API only, no queue workers: accepted notifications are stored and their step jobs queued, nothing is sent; the jobs are deleted after the run). ` +
        `Median of ${options.runs} rounds of ${options.duration} s after ${options.warmup} s warm-up; single POSTs (${accept.singleBodyBytes} B, route: one SMS step) and the raw node:http JSON ceiling with ${options.connections} connections; ` +
        `batches of 1000 (${Math.round(accept.batchBodyBytes / 1024)} KiB) with ${options.batchConnections} connections against \`addBulk(1000)\` of the same step jobs, ${options.batchConnections} calls in flight, same Redis.`,
    );
  }
  if (latency) {
    notes.push(
      `(b) \`vestnik start\` (API and workers in one process, fresh database). SMS through the sandbox SMSC with zero latency (SMSC account and channel at ${Math.min(1000, options.rate * 2)}/s, so the limit never binds); delivered = the SMSC's delivery receipt applied. ` +
        `Open-loop load of ${options.rate}/s for ${options.latencySeconds} s over 1000 numbers; latency from \`statusTimes.accepted\` to \`statusTimes.delivered\` as Vestnik stored them. ` +
        `${latency.delivered} of ${latency.accepted} delivered, ${latency.unsettled} not final after waiting ${latency.waitedSeconds.toFixed(0)} s (counted up to the end of the wait: a lower bound).`,
    );
  }
  if (batch) {
    notes.push(
      `(c) fresh \`vestnik start\`; ${batch.batches} × POST /v1/notifications/batch (${options.batchConnections} at a time) to a vk-notify channel with \`limits.perSecond\` ${batch.limitPerSecond}, its sandbox gateway account at ${batch.limitPerSecond}/s (${batch.limitPerSecond === 50 ? "the platform's default" : '--notify-limit; the platform default is 50/s'}), template approved by Vestnik's moderation and adopted from the gateway. ` +
        `${batch.recipients} recipients (≤ 5 notifications each). Send rate = the gateway's 200 answers to POST /v1/notify in the ${batch.windowSeconds} s after the last batch was accepted (slowest second ${batch.minSecond}, fastest ${batch.maxSecond}; ${batch.sentDuringAccept} sent while accepting); 429s counted from the sandbox's own answers from the first batch on. ` +
        `${batch.failedBatches > 0 ? `${batch.failedBatches} batches were refused; the first: ${batch.firstFailure}. ` : ''}` +
        `RSS sampled from /proc every 100 ms (before: ${batch.rssBeforeMb.toFixed(0)} MB; VmHWM at the end: ${batch.hwmMb?.toFixed(0) ?? 'n/a'} MB); the embedded FerretDB is a separate process, not counted.`,
    );
  }
  return notes;
}

export async function runNotifyBench(argv: string[]): Promise<void> {
  const options = parseNotifyOptions(argv);
  const pinning = setUpCpuPinning();
  const sandbox = await startBenchSandbox();
  const traffic = new PlatformTraffic().start();
  const results: { accept?: AcceptResults; latency?: LatencyResults; batch?: BatchResults } = {};
  const failures: string[] = [];
  // A part that fails is reported as failed; the others still run and the report is still written.
  const part = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      note(`${name} failed: ${message}`);
      failures.push(`${name} failed: ${message.split('\n')[0]}`);
      return undefined;
    }
  };
  try {
    if (options.parts.includes('accept')) {
      results.accept = await part('(a) accept', () => benchAccept(options, sandbox, pinning, note));
    }
    if (options.parts.includes('latency')) {
      results.latency = await part('(b) latency', () =>
        withDeliveryStack(options, sandbox, pinning, (stack) => benchLatency(options, stack, sandbox, note)),
      );
    }
    if (options.parts.includes('batch')) {
      results.batch = await part('(c) batch', () =>
        withDeliveryStack(options, sandbox, pinning, (stack) =>
          benchBatch(options, stack, sandbox, traffic, note),
        ),
      );
    }
  } finally {
    traffic.stop();
    await sandbox.close();
  }
  const report = buildNotifyReport({
    command: ['npm run bench -- notify', ...argv].join(' '),
    options,
    pinning,
    ...results,
    notes: [...notesFor(options, results), ...failures],
  });
  const files = await writeNotifyReport(path.join(packageRoot, 'bench', 'results'), report);
  process.stdout.write(`\n${renderNotifyTable(report)}\n\n${renderNotifyMarkdown(report)}\n`);
  process.stdout.write(`Written: ${files.map((f) => path.relative(packageRoot, f)).join(', ')}\n`);
  if (failures.length > 0) process.exitCode = 1;
}
