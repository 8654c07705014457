import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../src/package-root';
import { demoFolderName } from './flow-folder';

/** The example flows the demo workspace runs (from `bot-flows/examples/`). */
export const demoFlowFiles: readonly string[] = ['shop-faq.yaml', 'bank-followup.yaml'];

/** Where the shipped examples are, from src/ (tests) and dist/ (built) alike: read from the package root. */
export function exampleFlowsDir(): string {
  return path.join(packageRoot(), 'bot-flows', 'examples');
}

/** The shipped examples cannot be read (an install without `bot-flows/examples/`). */
export class DemoFlowsUnavailable extends Error {
  override readonly name = 'DemoFlowsUnavailable';
  readonly code = 'bot_flow.examples_missing';
}

/**
 * Copies the example flows into `<dir>/demo/` when that folder does not exist yet, so a first
 * local start has a working bot and later edits (or deletions) of those files are kept.
 * Returns the files written; empty when the folder was already there.
 */
export async function seedDemoFlows(dir: string): Promise<string[]> {
  const sources = await Promise.all(demoFlowFiles.map(readExample));
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, demoFolderName);
  try {
    await mkdir(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return [];
    throw error;
  }
  const written = demoFlowFiles.map((file) => path.join(target, file));
  await Promise.all(written.map((file, index) => writeFile(file, sources[index] ?? '', { flag: 'wx' })));
  return written;
}

async function readExample(file: string): Promise<string> {
  const from = path.join(exampleFlowsDir(), file);
  return readFile(from, 'utf8').catch((cause: unknown) => {
    throw new DemoFlowsUnavailable(`cannot read the example flow ${from}`, { cause });
  });
}
