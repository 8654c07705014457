import { once } from 'node:events';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { FlowSourceInvalid, formatProblem, loadFlowFile } from '../../bot-flows/declarative';
import type { BotFlow } from '../../bot-flows/engine';
import type { Config } from '../../src/config/env-schema';
import type { Logger } from '../../src/logging/logger';

/** File endings the folder loads (declarative files and `defineFlow` modules). */
export const flowFileExtensions: readonly string[] = ['.yaml', '.yml', '.json', '.js', '.cjs', '.mjs'];

/** The subfolder whose flows serve the demo workspace (`demo: true`), whatever its id. */
export const demoFolderName = 'demo';

/** A flow read from a file of the folder. */
export interface FolderFlow {
  flow: BotFlow;
  /** Absolute path of its file. */
  file: string;
  loadedAt: Date;
}

/**
 * The local flows folder: `<dir>/<workspace id>/*.yaml|yml|json|js` (and `<dir>/demo/`), watched
 * and reloaded on change. A changed file is compiled again; an invalid one keeps its last good flow
 * and its problems are logged at warn (file:line:col); a deleted file's flow is gone.
 * Not promised: which of two files declaring the same flow name wins beyond "the first by path"
 * (a warning names both).
 */
export interface FlowFolder {
  readonly dir: string;
  /** The flows of one subfolder (a workspace id or `demo`), one per flow name, sorted by name. */
  flowsIn(folderName: string): FolderFlow[];
  /** Called after a subfolder's flows changed. */
  onChange(listener: (folderName: string) => void): void;
  /** Starts watching; resolves once every file present was loaded (or refused). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** BOT_FLOWS_DIR; unset: `DATA_DIR/bot-flows` in local mode (no MONGODB_URI), no folder otherwise. */
export function flowFolderPath(
  config: Pick<Config, 'BOT_FLOWS_DIR' | 'MONGODB_URI' | 'DATA_DIR'>,
): string | null {
  if (config.BOT_FLOWS_DIR) return path.resolve(config.BOT_FLOWS_DIR);
  return config.MONGODB_URI ? null : path.resolve(config.DATA_DIR, 'bot-flows');
}

export interface FlowFolderOptions {
  dir: string;
  logger: Logger;
  /** Reads one file into a flow (default `loadFlowFile`); throws FlowSourceInvalid. */
  load?: (file: string) => Promise<BotFlow>;
}

interface LoadedFile extends FolderFlow {
  folder: string;
}

export function createFlowFolder(options: FlowFolderOptions): FlowFolder {
  const dir = path.resolve(options.dir);
  const logger = options.logger.child({ module: 'vestnik:bot-flows', flowsDir: dir });
  const load = options.load ?? loadFlowFile;
  const files = new Map<string, LoadedFile>();
  /** Per file, the latest load started: an older load finishing later is dropped. */
  const generations = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  const listeners: Array<(folderName: string) => void> = [];
  // chokidar is ESM-only: imported in `start`, so only what `close` needs is named here.
  let watcher: { close(): Promise<void> } | null = null;

  const folderOf = (file: string): string | null => {
    const parts = path.relative(dir, file).split(path.sep);
    const ext = path.extname(file).toLowerCase();
    return parts.length === 2 && flowFileExtensions.includes(ext) ? (parts[0] ?? null) : null;
  };
  const notify = (folder: string) => {
    for (const listener of listeners) listener(folder);
  };
  const nextGeneration = (file: string) => {
    const generation = (generations.get(file) ?? 0) + 1;
    generations.set(file, generation);
    return generation;
  };

  async function reload(file: string, folder: string): Promise<void> {
    const generation = nextGeneration(file);
    try {
      const flow = await load(file);
      if (generations.get(file) !== generation) return;
      warnOnNameClash(file, folder, flow.name);
      files.set(file, { flow, file, folder, loadedAt: new Date() });
      logger.info({ file, flow: flow.name }, 'bot flow loaded from the flows folder');
      notify(folder);
    } catch (error) {
      if (generations.get(file) !== generation) return;
      const kept = files.get(file)?.flow.name ?? null;
      const invalid = error instanceof FlowSourceInvalid;
      const problems = invalid ? error.problems.map(formatProblem) : [];
      logger.warn(
        { file, keptFlow: kept, problems, ...(invalid ? {} : { err: error }) },
        `bot flow file refused${kept ? '; its previous version stays active' : ''}: ${problems.join('; ') || String(error)}`,
      );
    }
  }

  function warnOnNameClash(file: string, folder: string, name: string): void {
    const other = [...files.values()].find(
      (f) => f.folder === folder && f.file !== file && f.flow.name === name,
    );
    if (other)
      logger.warn(
        { file, other: other.file, flow: name },
        'two files declare the same bot flow; the first by path serves',
      );
  }

  function remove(file: string): void {
    const loaded = files.get(file);
    nextGeneration(file);
    if (!loaded) return;
    files.delete(file);
    logger.info({ file, flow: loaded.flow.name }, 'bot flow file deleted; its flow is gone');
    notify(loaded.folder);
  }

  function track(work: Promise<void>): void {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  }

  const onFile = (file: string) => {
    const folder = folderOf(file);
    if (folder !== null) track(reload(file, folder));
  };
  const onUnlinkDir = (removed: string) => {
    for (const file of [...files.keys()]) if (file.startsWith(`${removed}${path.sep}`)) remove(file);
  };

  return {
    dir,
    flowsIn(folderName) {
      const byName = new Map<string, FolderFlow>();
      const own = [...files.values()].filter((f) => f.folder === folderName);
      for (const f of own.sort((a, b) => a.file.localeCompare(b.file)))
        if (!byName.has(f.flow.name))
          byName.set(f.flow.name, { flow: f.flow, file: f.file, loadedAt: f.loadedAt });
      return [...byName.values()].sort((a, b) => a.flow.name.localeCompare(b.flow.name));
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async start() {
      await mkdir(dir, { recursive: true });
      const { watch } = await import('chokidar');
      const awaitWriteFinish = { stabilityThreshold: 100, pollInterval: 20 };
      const started = watch(dir, { depth: 1, ignoreInitial: true, awaitWriteFinish });
      watcher = started;
      started
        .on('add', onFile)
        .on('change', onFile)
        .on('unlink', (file: string) => remove(file));
      started.on('unlinkDir', onUnlinkDir);
      started.on('error', (error: unknown) =>
        logger.warn({ err: error }, 'watching the flows folder failed'),
      );
      await once(started, 'ready');
      // The files already there are read here, not through the watcher's initial events, so
      // `start` resolves once they are loaded.
      for (const file of await readdir(dir, { recursive: true })) onFile(path.join(dir, file));
      await Promise.all([...pending]);
      logger.info({ files: files.size }, 'watching the bot flows folder');
    },
    async close() {
      await watcher?.close();
      watcher = null;
    },
  };
}
