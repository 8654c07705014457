import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageRoot as findPackageRoot } from '../src/package-root';
import type { CpuPinning } from './cpu-pinning';

/** Where `npm run bench` runs from (the package root). */
export const packageRoot = findPackageRoot();

/** Keeps the last lines of a stream (draining it) and resolves when one matches `pattern`. */
export class LineWatcher {
  private readonly tail: string[] = [];

  constructor(
    private readonly child: ChildProcess,
    private readonly stream: Readable,
    private readonly echo?: (line: string) => void,
  ) {}

  /** The first capture group of the first line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: this.stream });
      const fail = (reason: string) => {
        clearTimeout(timer);
        this.child.off('exit', onExit);
        reject(new Error(`${what}: ${reason}\n--- last output ---\n${this.tail.join('\n')}`));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        fail(`exited (${code ?? signal}) before it was ready`);
      const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
      let found = false;
      lines.on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        this.echo?.(line);
        const match = found ? null : pattern.exec(line);
        if (match?.[1] !== undefined) {
          found = true;
          clearTimeout(timer);
          this.child.off('exit', onExit);
          resolve(match[1]);
        }
      });
      this.child.once('exit', onExit);
      this.child.once('error', (error) => fail(error.message));
    });
  }

  lastLines(): string {
    return this.tail.join('\n');
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return `had already exited (${child.exitCode ?? child.signalCode})`;
  }
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code !== null ? `exit code ${code}` : `signal ${signal}`)),
  );
  child.kill('SIGTERM');
  const timeout = new AbortController();
  let killed = false;
  const forced = sleep(graceMs, undefined, { signal: timeout.signal }).then(
    () => {
      killed = child.kill('SIGKILL');
    },
    () => undefined,
  );
  await Promise.race([exited, forced]);
  timeout.abort();
  const how = await exited;
  return killed ? `${how} (SIGKILL: SIGTERM was not honoured within ${graceMs} ms)` : how;
}

export interface SpawnedServer {
  port: number;
  child: ChildProcess;
}

/** Starts `node dist/bench/servers/<name>.js`, which prints `{"port":N}` once it listens. */
export async function spawnPortServer(
  name: string,
  pinning: CpuPinning,
  env: Record<string, string> = {},
): Promise<SpawnedServer> {
  const script = path.join(packageRoot, 'dist', 'bench', 'servers', `${name}.js`);
  const start = pinning.wrap([script]);
  const child = spawn(start.command, start.args, {
    cwd: packageRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!child.stdout) throw new Error(`${name}: no stdout`);
  const watcher = new LineWatcher(child, child.stdout);
  try {
    const json = await watcher.waitFor(/^(\{.*\})$/, 10_000, name);
    const port = (JSON.parse(json) as { port?: unknown }).port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0) {
      throw new Error(`${name} printed ${json}, expected {"port":N}`);
    }
    return { port, child };
  } catch (error) {
    await stopChild(child, 2000);
    throw error;
  }
}
