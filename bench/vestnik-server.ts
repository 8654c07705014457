import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { ensureFerretDbBuilt } from '../src/storage/ferretdb/ferretdb-build';
import { LineWatcher, packageRoot, stopChild } from './child-process';
import type { CpuPinning } from './cpu-pinning';

export interface VestnikServer {
  port: number;
  /** The Vestnik process (`taskset` execs node, so this is node's pid): for RSS readings. */
  pid: number;
  /** `DATA_DIR/local.json`: the demo operator's login, among others. */
  local: { workspaceId: string; operator: { email: string; password: string } };
  apiKey: string;
  /** The embedded FerretDB it started (the raw-ingress ceiling writes to the same one). */
  mongoUri: string;
  queuePrefix: string;
  /** The embedded FerretDB process, for CPU readings (null when unknown). */
  ferretPid: number | null;
  /** SIGTERM, wait for exit, remove the temp folder; returns how it exited and the log size. */
  stop(): Promise<{ exit: string; logBytes: number }>;
}

const localFileSchema = z.object({
  demo: z.object({
    apiKey: z.string().min(1),
    workspaceId: z.string(),
    operator: z.object({ email: z.string(), password: z.string() }),
  }),
});
const ferretFileSchema = z.object({ port: z.number().int(), ferretPid: z.number().int().optional() });

/**
 * Starts the real CLI, `node bin/vestnik.js serve`, in local mode: embedded FerretDB in a fresh
 * temp DATA_DIR, demo workspace seeded, JSON logs to a file (logging is part of what is measured),
 * a unique queue prefix. The working directory is the temp folder so no `.env` is picked up.
 */
export async function startVestnik(options: {
  logLevel: string;
  note: (line: string) => void;
  pinning: CpuPinning;
  /** `serve` (API only, the default) or `start` (API and queue workers in one process). */
  role?: 'serve' | 'start';
  /** Extra environment for the child (limits, SANDBOX=off…). */
  env?: Record<string, string>;
}) {
  const ferretDbBin = await ensureFerretDbBuilt({
    toolsDir: path.join(packageRoot, 'tools'),
    onProgress: options.note,
  });
  const queuePrefix = `bench-${randomBytes(6).toString('hex')}`;
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-bench-'));
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'vestnik.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel,
    DATA_DIR: dataDir,
    FERRETDB_BIN: ferretDbBin,
    QUEUE_PREFIX: queuePrefix,
    DEMO_SEED: 'true',
    // The load comes from one key: keep the limiter in the path, but never refusing.
    API_RATE_LIMIT_PER_SECOND: '1000000',
    API_RATE_LIMIT_BURST: '1000000',
    ...options.env,
  };
  // The banner must show the bound port, and the database must be the embedded one.
  delete env.MONGODB_URI;
  delete env.PUBLIC_URL;
  const logFd = openSync(logFile, 'w');
  const start = options.pinning.wrap([path.join(packageRoot, 'bin', 'vestnik.js'), options.role ?? 'serve']);
  const child = spawn(start.command, start.args, {
    cwd: workDir,
    env,
    stdio: ['ignore', logFd, 'pipe'],
  });
  closeSync(logFd);
  const cleanup = async () => {
    const exit = await stopChild(child, 15_000);
    const logBytes = await stat(logFile).then(
      (s) => s.size,
      () => 0,
    );
    await rm(workDir, { recursive: true, force: true });
    await deleteQueueKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queuePrefix);
    return { exit, logBytes };
  };
  if (!child.stderr) throw new Error('vestnik: no stderr');
  const watcher = new LineWatcher(child, child.stderr, (line) => {
    // The banner also shows the demo credentials: keep them off the console.
    if (!/Demo API key|Operator login/.test(line)) options.note(`  [vestnik] ${line}`);
  });
  try {
    const port = Number(
      await watcher.waitFor(/^\s+API\s+http:\/\/127\.0\.0\.1:(\d+)\/v1\s*$/, 120_000, 'vestnik serve'),
    );
    const local = localFileSchema.parse(JSON.parse(await readFile(path.join(dataDir, 'local.json'), 'utf8')));
    const ferret = ferretFileSchema.parse(
      JSON.parse(await readFile(path.join(dataDir, 'ferretdb.json'), 'utf8')),
    );
    const mongoUri = `mongodb://127.0.0.1:${ferret.port}/`;
    const server: VestnikServer = {
      port,
      pid: child.pid ?? 0,
      local: { workspaceId: local.demo.workspaceId, operator: local.demo.operator },
      apiKey: local.demo.apiKey,
      mongoUri,
      queuePrefix,
      ferretPid: ferret.ferretPid ?? null,
      stop: cleanup,
    };
    return server;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The webhook target queues one job per request: remove this run's keys from Redis afterwards. */
async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
