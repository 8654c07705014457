import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve(__dirname, '../../bin/vestnik.js');

export interface VestnikProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the API base URL once the ready banner is printed. */
  ready(timeoutMs?: number): Promise<string>;
  /** Sends a signal and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
  exited(): Promise<number | null>;
}

/** Environment for a child Vestnik: only what the test passes, plus PATH/HOME (no leaking of the parent's config). */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env };
}

/** Runs the real CLI (`node bin/vestnik.js …`, the built code) as a child process. */
export function spawnVestnik(args: string[], env: Record<string, string>, cwd?: string): VestnikProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    env: childEnv(env),
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    ready(timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`not ready in ${timeoutMs} ms:\n${err}`)),
          timeoutMs,
        );
        const poll = setInterval(() => {
          const match = /API\s+(http:\/\/\S+)\/v1/.exec(err);
          if (match?.[1] || /worker ready/.test(err)) {
            clearInterval(poll);
            clearTimeout(deadline);
            resolve(match?.[1] ?? '');
          }
          if (child.exitCode !== null) {
            clearInterval(poll);
            clearTimeout(deadline);
            reject(new Error(`exited with ${child.exitCode}:\n${err}`));
          }
        }, 25);
      });
    },
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      child.kill(signal);
      const code = await exit;
      return { code, ms: Date.now() - started };
    },
  };
}

/** Runs a short CLI command to completion. */
export async function runVestnik(args: string[], env: Record<string, string>, cwd?: string) {
  const proc = spawnVestnik(args, env, cwd);
  const code = await proc.exited();
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}
