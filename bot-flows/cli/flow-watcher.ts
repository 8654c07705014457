import path from 'node:path';

/** Stops watching. */
export type StopWatching = () => Promise<void>;

/**
 * Calls `onChange` when a file changes on disk, including editors that save by writing a new file
 * and renaming it over the old one (chokidar watches the folder for the name).
 */
export async function watchFile(file: string, onChange: () => void): Promise<StopWatching> {
  const { watch } = await import('chokidar');
  const watcher = watch(path.dirname(file), {
    ignoreInitial: true,
    depth: 0,
    ignored: (candidate) => candidate !== file && candidate !== path.dirname(file),
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 },
  });
  watcher.on('change', onChange).on('add', onChange);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return () => watcher.close();
}
