import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureFerretDbBuilt, type ProgressFn } from './ferretdb/ferretdb-build';
import { canConnect, type RunningFerretDb, startFerretDb } from './ferretdb/ferretdb-process';
import { isProcessAlive, withFileLock } from './file-lock';

/** Who started the embedded database: a long-running service, or a short CLI command. */
export type EmbeddedOwnerKind = 'service' | 'cli';

export interface EmbeddedDatabase {
  uri: string;
  /** True when this process started FerretDB (and will stop it on release). */
  owned: boolean;
  release(): Promise<void>;
}

interface InstanceRecord {
  ownerPid: number;
  ownerKind: EmbeddedOwnerKind;
  ferretPid: number;
  port: number;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  toolsDir: string;
  ferretDbBin?: string;
  ownerKind: EmbeddedOwnerKind;
  onProgress: ProgressFn;
}

/**
 * Local mode (MONGODB_URI unset): reuse the FerretDB of a running Vestnik on the same data
 * folder, or start one. A service never adopts a database a CLI command started (the command
 * would stop it on exit): it waits for the command to finish and starts its own.
 */
export async function acquireEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const recordPath = path.join(dataDir, 'ferretdb.json');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const reusable = (record: InstanceRecord | null): record is InstanceRecord =>
    record !== null && (record.ownerKind === 'service' || options.ownerKind === 'cli');
  const borrow = (record: InstanceRecord): EmbeddedDatabase => ({
    uri: `mongodb://127.0.0.1:${record.port}/`,
    owned: false,
    release: async () => {},
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const existing = await readLiveRecord(recordPath);
    if (reusable(existing)) return borrow(existing);
    if (!existing || Date.now() > deadline) break;
    await sleep(200);
  }
  return withFileLock(path.join(dataDir, 'ferretdb.lock'), async () => {
    const again = await readLiveRecord(recordPath);
    if (reusable(again)) return borrow(again);
    // Built only when this process is the one that starts it.
    const binary =
      options.ferretDbBin ??
      (await ensureFerretDbBuilt({ toolsDir: options.toolsDir, onProgress: options.onProgress }));
    const running = await startFerretDb({ binary, dataDir: path.join(dataDir, 'ferretdb') });
    const record: InstanceRecord = {
      ownerPid: process.pid,
      ownerKind: options.ownerKind,
      ferretPid: running.pid,
      port: running.port,
    };
    await writeFile(recordPath, JSON.stringify(record), { mode: 0o600 });
    return { uri: running.uri, owned: true, release: () => releaseOwned(running, recordPath) };
  });
}

async function releaseOwned(running: RunningFerretDb, recordPath: string): Promise<void> {
  const current = await readRecord(recordPath);
  if (current?.ownerPid === process.pid) await rm(recordPath, { force: true });
  await running.stop();
}

/** Guards against pid reuse: only a process whose command line names ferretdb is stopped. */
async function isFerretDbProcess(pid: number): Promise<boolean> {
  if (!isProcessAlive(pid)) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('ferretdb');
}

async function readRecord(recordPath: string): Promise<InstanceRecord | null> {
  try {
    return JSON.parse(await readFile(recordPath, 'utf8')) as InstanceRecord;
  } catch {
    return null;
  }
}

/** The record of a FerretDB whose owner is alive and whose port answers; stale records are cleaned up. */
async function readLiveRecord(recordPath: string): Promise<InstanceRecord | null> {
  const record = await readRecord(recordPath);
  if (!record) return null;
  if (isProcessAlive(record.ownerPid) && (await canConnect(record.port))) return record;
  if (!isProcessAlive(record.ownerPid) && (await isFerretDbProcess(record.ferretPid))) {
    process.kill(record.ferretPid, 'SIGTERM');
  }
  await rm(recordPath, { force: true });
  return null;
}
