import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sandbox } from '../../src/sandbox/sandbox-server';
import { spawnPortServer, stopChild } from '../child-process';
import type { CpuPinning } from '../cpu-pinning';
import { createApiClient } from '../notify/api-client';
import { startVestnik } from '../vestnik-server';
import type { BotBenchOptions } from './bot-options';
import type { ReplyTarget } from './reply-latency-bench';
import { createSandboxBot, type SandboxBot, setWebhook, webhookOf } from './sandbox-telegram';

/** A bot ready for load, and how to stop what runs it. */
export interface RunningTarget extends ReplyTarget {
  /** How the flow got to Vestnik, or what the ceiling is. */
  setup: string;
  /** Stops what runs the bot; says how it exited. */
  stop(): Promise<string>;
}

/**
 * The ceiling: `raw-echo-bot` (bare node:http) on the server CPU, registered as the webhook of a
 * bot of its own in the same sandbox.
 */
export async function startEchoBot(sandbox: Sandbox, pinning: CpuPinning): Promise<RunningTarget> {
  const bot = await createSandboxBot(sandbox);
  const secret = randomBytes(16).toString('hex');
  const server = await spawnPortServer(path.join('..', 'bot', 'raw-echo-bot'), pinning, {
    BENCH_API_ROOT: bot.apiRoot,
    BENCH_BOT_TOKEN: bot.token,
    BENCH_SECRET_TOKEN: secret,
  });
  await setWebhook(bot, `http://127.0.0.1:${server.port}/`, secret);
  return {
    name: 'raw echo bot (node:http)',
    bot,
    pids: { server: server.child.pid ?? 0, helpers: [] },
    setup: 'bare node:http webhook → sendMessage with a fixed answer',
    stop: async () => `raw echo bot ${await stopChild(server.child, 5000)}`,
  };
}

/**
 * `vestnik start` (API and workers, embedded FerretDB, on the server CPU) with a Telegram channel
 * on a sandbox bot (Vestnik sets the webhook itself) and the shop FAQ flow: uploaded through
 * `POST /v1/bot-flows`, or, where that route does not exist, dropped into the local flows folder.
 */
export async function startVestnikBot(
  options: BotBenchOptions,
  sandbox: Sandbox,
  pinning: CpuPinning,
  flowSource: string,
  note: (line: string) => void,
): Promise<RunningTarget> {
  const flowsDir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-bench-flows-'));
  // An empty `demo` folder: local mode seeds the example flows only where it finds none, and the
  // bench's flow must be the uploaded one (a folder flow of the same name would win over it).
  await mkdir(path.join(flowsDir, 'demo'));
  const vestnik = await startVestnik({
    logLevel: options.vestnikLogLevel,
    note,
    pinning,
    role: 'start',
    env: { SANDBOX: 'off', BOT_FLOWS_DIR: flowsDir },
  });
  const stop = async () => {
    const { exit } = await vestnik.stop();
    await rm(flowsDir, { recursive: true, force: true });
    return `vestnik start ${exit}`;
  };
  try {
    const base = `http://127.0.0.1:${vestnik.port}`;
    const bot = await createSandboxBot(sandbox);
    await createApiClient(base, vestnik.apiKey).call(
      'POST',
      '/channels',
      { type: 'telegram', name: 'Bench Telegram bot', config: { botToken: bot.token, apiRoot: bot.apiRoot } },
      201,
    );
    await waitForWebhook(sandbox, bot);
    const setup = await installFlow(
      base,
      vestnik.apiKey,
      flowSource,
      path.join(flowsDir, vestnik.local.workspaceId),
    );
    const pids = { server: vestnik.pid, helpers: vestnik.ferretPid ? [vestnik.ferretPid] : [] };
    return { name: 'vestnik', bot, pids, setup, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForWebhook(sandbox: Sandbox, bot: SandboxBot): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (webhookOf(sandbox, bot) === null) {
    if (performance.now() > deadline)
      throw new Error('bench: Vestnik set no webhook on the bench bot in 30 s');
    await sleep(100);
  }
}

/** `POST /v1/bot-flows` (YAML); a 404 (no such route yet) → `<flows>/<workspace>/shop-faq.yaml`. */
async function installFlow(
  base: string,
  apiKey: string,
  source: string,
  workspaceDir: string,
): Promise<string> {
  const response = await fetch(`${base}/v1/bot-flows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/yaml' },
    body: source,
  });
  const text = await response.text();
  if (response.status === 201 || response.status === 200)
    return `uploaded through POST /v1/bot-flows (${response.status})`;
  if (response.status !== 404)
    throw new Error(`bench: POST /v1/bot-flows answered ${response.status}: ${text.slice(0, 500)}`);
  await mkdir(workspaceDir, { recursive: true });
  await writeFile(path.join(workspaceDir, 'shop-faq.yaml'), source);
  return 'written to the local flows folder (BOT_FLOWS_DIR; POST /v1/bot-flows answered 404)';
}
