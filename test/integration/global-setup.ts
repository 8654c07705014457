import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretDbBuilt } from '../../src/storage/ferretdb/ferretdb-build';
import { startFerretDb } from '../../src/storage/ferretdb/ferretdb-process';

/**
 * One database server for the whole run: the MongoDB in MONGODB_URI when set (to run the suite
 * against real MongoDB), else a FerretDB started here on a throwaway folder. Each test file then
 * uses its own database on it. Redis keys are prefixed per run and per file.
 */
export default async function globalSetup(): Promise<void> {
  process.env.VESTNIK_TEST_RUN_ID = randomBytes(4).toString('hex');
  const root = path.resolve(__dirname, '../..');
  // Process-level tests run the real CLI from dist/: make sure it is built from the current sources.
  // Type errors do not stop the emit, and `npm test` fails on them in its typecheck step anyway; a
  // type error elsewhere in a work-in-progress tree should not keep every integration test from running.
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    process.stderr.write(
      'global setup: the build reported type errors (see above); dist/ was emitted anyway\n',
    );
  }
  const toolsDir = path.join(root, 'tools');
  const binary = await ensureFerretDbBuilt({
    toolsDir,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.env.VESTNIK_TEST_FERRETDB_BIN = binary;
  if (process.env.MONGODB_URI) {
    process.env.VESTNIK_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-test-db-'));
  const ferret = await startFerretDb({ binary, dataDir });
  process.env.VESTNIK_TEST_MONGODB_URI = ferret.uri;
  (globalThis as { __vestnikFerret?: unknown }).__vestnikFerret = { ferret, dataDir };
}
