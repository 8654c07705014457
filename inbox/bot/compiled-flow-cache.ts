import LRUMap from 'mnemonist/lru-map';
import { compileFlowSource, FlowSourceInvalid, formatProblem } from '../../bot-flows/declarative';
import type { BotFlow } from '../../bot-flows/engine';
import type { Logger } from '../../src/logging/logger';
import type { BotFlowFormat } from './bot-flow-model';

/** A stored version as far as compiling it goes. */
export interface CompilableVersion {
  workspaceId: unknown;
  name: string;
  version: number;
  source: string;
  format: BotFlowFormat;
}

/**
 * Compiled uploaded versions, per process, by (workspace, name, version): a version never changes
 * once stored, so it is compiled once. A stored version that no longer compiles (a newer Vestnik
 * refusing what an older one accepted) is logged once and answered as null (skipped).
 */
export interface CompiledFlowCache {
  compiled(version: CompilableVersion): BotFlow | null;
  /** Keeps a version compiled elsewhere (the upload), so it is not compiled again. */
  remember(version: CompilableVersion, flow: BotFlow): void;
}

/** The file name uploaded sources are compiled (and their problems reported) under. */
export const uploadFileName = (format: BotFlowFormat) => `flow.${format}`;

export function createCompiledFlowCache(parentLogger: Logger, capacity = 1000): CompiledFlowCache {
  const logger = parentLogger.child({ module: 'vestnik:bot-flows' });
  const cache = new LRUMap<string, BotFlow | null>(capacity);
  const compile = (version: CompilableVersion): BotFlow | null => {
    try {
      return compileFlowSource(version.source, { fileName: uploadFileName(version.format) });
    } catch (error) {
      const problems = error instanceof FlowSourceInvalid ? error.problems.map(formatProblem) : [];
      const { name } = version;
      logger.error(
        {
          err: error,
          workspaceId: String(version.workspaceId),
          flow: name,
          version: version.version,
          problems,
        },
        'stored bot flow version no longer compiles; skipped',
      );
      return null;
    }
  };
  const keyOf = (version: CompilableVersion) =>
    `${String(version.workspaceId)}:${version.name}:${version.version}`;
  return {
    compiled(version) {
      const key = keyOf(version);
      if (cache.has(key)) return cache.get(key) ?? null;
      const flow = compile(version);
      cache.set(key, flow);
      return flow;
    },
    remember(version, flow) {
      cache.set(keyOf(version), flow);
    },
  };
}
