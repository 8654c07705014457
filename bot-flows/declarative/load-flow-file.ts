import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BotFlow, isBotFlow } from '../engine/define-flow';
import { compileFlowSource } from './compile-flow-source';
import { causeMessage, fileProblem } from './flow-source-invalid';

type Loader = (path: string) => Promise<BotFlow>;

const loaders: Record<string, Loader> = {
  '.yaml': loadSource,
  '.yml': loadSource,
  '.json': loadSource,
  '.js': loadModule,
  '.cjs': loadModule,
  '.mjs': loadModule,
};

/**
 * Reads and compiles a flow file: `.yaml`, `.yml` and `.json` as declarative flows; `.js`, `.cjs`
 * and `.mjs` as modules whose default export (or `flow` export) is a `defineFlow(...)` result. A
 * module file is loaded afresh when it changed (for the local folder's reload). Throws
 * FlowSourceInvalid, with line null for a file that cannot be read or loaded.
 */
export function loadFlowFile(path: string): Promise<BotFlow> {
  const loader = loaders[extname(path).toLowerCase()];
  if (!loader)
    return Promise.reject(
      fileProblem(path, `a flow file ends in ${Object.keys(loaders).join(', ')} (got "${extname(path)}")`),
    );
  return loader(path);
}

async function loadSource(path: string): Promise<BotFlow> {
  const source = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw fileProblem(path, `cannot read the file: ${causeMessage(cause)}`, cause);
  });
  return compileFlowSource(source, { fileName: path });
}

/**
 * A changed file gets a new URL (its mtime in the query), so an ES module is evaluated again; a
 * CommonJS one is also dropped from the require cache, which import() of CommonJS goes through.
 * Only the file itself is reloaded, not what it imports.
 */
async function loadModule(path: string): Promise<BotFlow> {
  const absolute = resolve(path);
  const loaded: unknown = await stat(absolute)
    .then((stats) => {
      delete require.cache[absolute];
      return import(`${pathToFileURL(absolute).href}?mtime=${stats.mtimeMs}`);
    })
    .catch((cause: unknown) => {
      throw fileProblem(path, `cannot load the module: ${causeMessage(cause)}`, cause);
    });
  const flow = exportedFlow(loaded);
  if (!flow) throw fileProblem(path, 'the module exports no flow: write `export default defineFlow({ … })`');
  return flow;
}

/** `export default`, `export const flow`, or the same under CommonJS interop's `default`. */
function exportedFlow(loaded: unknown): BotFlow | null {
  const module = loaded as { default?: { default?: unknown; flow?: unknown }; flow?: unknown } | null;
  const candidates = [module?.default, module?.flow, module?.default?.default, module?.default?.flow];
  return (candidates.find(isBotFlow) as BotFlow | undefined) ?? null;
}
