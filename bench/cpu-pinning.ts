import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * On a small machine the load generator and the server fight for the same cores, and the
 * numbers swing by a third from run to run. When `taskset` exists and there are at least two
 * CPUs, every server runs on the last CPU and the load generator on the others, the same for all
 * targets, so the ratios compare like with like.
 */
export interface CpuPinning {
  serverCpu: string | null;
  loadCpus: string | null;
  /** The command that starts `args` (a node script and its arguments) on the server CPU. */
  wrap(args: string[]): { command: string; args: string[] };
}

export function setUpCpuPinning(): CpuPinning {
  const cpus = os.availableParallelism();
  const unpinned: CpuPinning = {
    serverCpu: null,
    loadCpus: null,
    wrap: (args) => ({ command: process.execPath, args }),
  };
  if (cpus < 2 || !hasTaskset()) return unpinned;
  const serverCpu = String(cpus - 1);
  const loadCpus = cpus === 2 ? '0' : `0-${cpus - 2}`;
  execFileSync('taskset', ['-p', '-c', loadCpus, String(process.pid)], { stdio: 'ignore' });
  return {
    serverCpu,
    loadCpus,
    wrap: (args) => ({ command: 'taskset', args: ['-c', serverCpu, process.execPath, ...args] }),
  };
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
