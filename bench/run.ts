import path from 'node:path';
import { type BenchOptions, BenchUsageError, parseBenchOptions, type TargetName } from './bench-options';
import { runBotBench } from './bot/bot-run';
import { packageRoot, spawnPortServer, stopChild } from './child-process';
import { type CpuPinning, setUpCpuPinning } from './cpu-pinning';
import { runInboxBench } from './inbox/inbox-run';
import { assertAnswers200, type LoadSettings, type LoadTarget, measure, type RunResult } from './load';
import { runNotifyBench } from './notify/notify-run';
import { buildReport, renderMarkdown, renderTextTable, writeReport } from './report';
import { startVestnik } from './vestnik-server';
import { signedCallbacks, webhookTarget } from './webhook-target';

/**
 * `npm run bench`: the same autocannon load against several targets, servers in their own child
 * processes: a raw node:http server (the ceiling), a bare Express 5 app, Vestnik's /healthz,
 * Vestnik's authenticated GET /v1/workspace, and Vestnik's webhook ingress (signed Viber callbacks,
 * each verified, stored and queued). Prints the medians and writes bench/results/.
 */

const note = (line: string) => process.stderr.write(`${line}\n`);

interface Group {
  /** Starts the server(s); returns the targets it serves and how to stop it. */
  start(): Promise<{ targets: Array<[TargetName, LoadTarget]>; stop(): Promise<string> }>;
}

function portServerGroup(name: TargetName, script: string, pinning: CpuPinning): Group {
  return {
    async start() {
      const { port, child } = await spawnPortServer(script, pinning);
      return {
        targets: [[name, { url: `http://127.0.0.1:${port}/healthz`, headers: {} }]],
        stop: () => stopChild(child, 5000),
      };
    },
  };
}

function vestnikGroup(options: BenchOptions, pinning: CpuPinning): Group {
  return {
    async start() {
      const vestnik = await startVestnik({ logLevel: options.vestnikLogLevel, note, pinning });
      const base = `http://127.0.0.1:${vestnik.port}`;
      const authToken = `bench-${Date.now()}-viber-auth-token`;
      const ceiling = await spawnPortServer('raw-ingress-server', pinning, {
        BENCH_MONGODB_URI: vestnik.mongoUri,
        BENCH_WEBHOOK_SECRET: authToken,
        BENCH_QUEUE_PREFIX: vestnik.queuePrefix,
      });
      return {
        targets: [
          ['vestnik-healthz', { url: `${base}/healthz`, headers: {} }],
          [
            'vestnik-authenticated',
            { url: `${base}/v1/workspace`, headers: { authorization: `Bearer ${vestnik.apiKey}` } },
          ],
          ['raw-ingress', signedCallbacks(`http://127.0.0.1:${ceiling.port}/`, authToken)],
          ['vestnik-webhook', await webhookTarget(base, vestnik.apiKey, authToken)],
        ],
        async stop() {
          await stopChild(ceiling.child, 5000);
          const { exit, logBytes } = await vestnik.stop();
          const warning = exit === 'exit code 0' ? '' : ' (WARNING: a clean SIGTERM shutdown exits 0)';
          return `vestnik ${exit}${warning}; ${(logBytes / 1024 / 1024).toFixed(1)} MiB of logs written`;
        },
      };
    },
  };
}

/**
 * Starts every server first, then measures in rounds (each round loads every target once, in the
 * same order), so slow drifts of the machine (CPU boost, neighbours) hit all targets alike.
 */
async function benchAll(
  groups: readonly Group[],
  options: BenchOptions,
  settings: LoadSettings,
  measured: Map<TargetName, RunResult[]>,
): Promise<void> {
  const servers: Array<Awaited<ReturnType<Group['start']>>> = [];
  try {
    for (const group of groups) servers.push(await group.start());
    const targets = servers
      .flatMap((server) => server.targets)
      .filter(([name]) => options.targets.includes(name));
    for (const [name, target] of targets) await assertAnswers200(name, target);
    for (let i = 1; i <= options.runs; i += 1) {
      for (const [name, target] of targets) {
        const run = await measure(name, target, settings);
        note(
          `${name} round ${i}/${options.runs}: ${Math.round(run.requestsPerSec)} req/s, p99 ${run.p99Ms} ms`,
        );
        measured.set(name, [...(measured.get(name) ?? []), run]);
      }
    }
  } finally {
    for (const server of servers) note(`stopped: ${await server.stop()}`);
  }
}

async function main(argv: string[]): Promise<void> {
  // `npm run bench -- notify [options]`: the notification benchmark (bench/notify/), on its own.
  if (argv[0] === 'notify') return runNotifyBench(argv.slice(1));
  // `npm run bench -- inbox [options]`: inbound webhook → operator socket event (bench/inbox/).
  if (argv[0] === 'inbox') return runInboxBench(argv.slice(1));
  // `npm run bench -- bot [options]`: FAQ matcher throughput and inbound → bot reply latency (bench/bot/).
  if (argv[0] === 'bot') return runBotBench(argv.slice(1));
  const options = parseBenchOptions(argv);
  const settings: LoadSettings = {
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    connections: options.connections,
    pipelining: options.pipelining,
  };
  const pinning = setUpCpuPinning();
  const wanted = (...names: TargetName[]) => names.some((name) => options.targets.includes(name));
  const groups: Group[] = [];
  if (wanted('raw-node')) groups.push(portServerGroup('raw-node', 'raw-node-server', pinning));
  if (wanted('bare-express')) groups.push(portServerGroup('bare-express', 'bare-express-server', pinning));
  if (wanted('vestnik-healthz', 'vestnik-authenticated', 'raw-ingress', 'vestnik-webhook'))
    groups.push(vestnikGroup(options, pinning));

  note(
    `bench: ${options.targets.join(', ')}; ${options.runs} × ${options.duration} s ` +
      `(+${options.warmup} s warm-up), ${options.connections} connections, pipelining ${options.pipelining}`,
  );
  const measured = new Map<TargetName, RunResult[]>();
  await benchAll(groups, options, settings, measured);

  const report = buildReport(options, measured, pinning);
  const files = await writeReport(path.join(packageRoot, 'bench', 'results'), report);
  process.stdout.write(`\n${renderTextTable(report)}\n\n${renderMarkdown(report)}\n`);
  const { goal } = report;
  if (goal.ratio !== null) {
    process.stdout.write(
      `Goal: ${goal.description}: ${(goal.ratio * 100).toFixed(1)} % -> ${goal.met ? 'MET' : 'NOT MET'}\n`,
    );
  }
  process.stdout.write(`Written: ${files.map((f) => path.relative(packageRoot, f)).join(', ')}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    note(error.message);
    process.exitCode = 2;
    return;
  }
  note(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
