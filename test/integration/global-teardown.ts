import { rm } from 'node:fs/promises';
import type { RunningFerretDb } from '../../src/storage/ferretdb/ferretdb-process';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __vestnikFerret?: { ferret: RunningFerretDb; dataDir: string } })
    .__vestnikFerret;
  if (!state) return;
  await state.ferret.stop();
  await rm(state.dataDir, { recursive: true, force: true });
}
