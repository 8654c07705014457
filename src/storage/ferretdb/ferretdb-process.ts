import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningFerretDb {
  port: number;
  pid: number;
  uri: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartFerretDbOptions {
  binary: string;
  dataDir: string;
  /** How long to wait for the port to accept connections. */
  readyTimeoutMs?: number;
}

/** Starts FerretDB with the SQLite backend on a free local port, telemetry off, and waits until it accepts. */
export async function startFerretDb(options: StartFerretDbOptions): Promise<RunningFerretDb> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const port = await findFreePort();
  const child = spawn(
    options.binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
      '--log-format=json',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderrTail = '';
  child.once('error', (error) => {
    stderrTail = `${error.message}\n${stderrTail}`;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  // Never signal a child whose spawn failed: with no pid, kill() would hit our own process group.
  const killOnExit = () => {
    if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  try {
    await waitForPort(port, child, options.readyTimeoutMs ?? 15_000);
  } catch (error) {
    killOnExit();
    process.off('exit', killOnExit);
    throw new Error(
      `FerretDB (${options.binary}) did not start: ${(error as Error).message}\n${stderrTail.trim()}`,
    );
  }
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };
  return { port, pid: child.pid ?? -1, uri: `mongodb://127.0.0.1:${port}/`, stop };
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      throw new Error(`process exited with ${child.exitCode ?? child.signalCode ?? 'a spawn error'}`);
    }
    if (await canConnect(port)) return;
    await sleep(50);
  }
  throw new Error(`port ${port} not accepting connections after ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forceKill = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(forceKill);
}
