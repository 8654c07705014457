import LRUMapWithDelete from 'mnemonist/lru-map-with-delete';
import { isValidObjectId, trusted } from 'mongoose';
import type { Config } from '../../src/config/env-schema';
import type { Logger } from '../../src/logging/logger';
import type { Models } from '../../src/storage/models';
import {
  type CompilableVersion,
  type CompiledFlowCache,
  createCompiledFlowCache,
} from './compiled-flow-cache';
import type { FlowChangeBus } from './flow-change-bus';
import { demoFolderName, type FlowFolder, type FolderFlow } from './flow-folder';
import { pickFlow, servesChannel } from './flow-precedence';
import type { ActiveFlow, FlowRegistry } from './flow-registry-port';

export interface FlowRegistryDeps {
  models: Models;
  config: Pick<Config, 'BOT_FLOWS_REFRESH_MS'>;
  logger: Logger;
  /** The local flows folder; its flows win over uploaded ones of the same name. */
  folder?: FlowFolder | null;
  /** Changes announced by other processes (subscribed in `start`). */
  bus?: FlowChangeBus;
  /** Shared with the report, which needs the entries of active versions. */
  compiled?: CompiledFlowCache;
}

/** The registry, plus what the bot-flows layer drives it with. */
export interface LiveFlowRegistry extends FlowRegistry {
  /** Every flow that serves the workspace (folder flows over uploaded ones, enabled only), by name. */
  activeFlows(workspaceId: string): Promise<ActiveFlow[]>;
  /** The workspace's folder flows (its own subfolder, and `demo/` for the demo workspace), by name. */
  folderFlows(workspaceId: string): Promise<FolderFlow[]>;
  /** Reads a workspace's uploaded flows again on next use (every workspace when omitted). */
  invalidate(workspaceId?: string): void;
  /** Subscribes to changes announced by other processes. */
  start(): Promise<void>;
}

interface CachedFlows {
  loadedAt: number;
  flows: Promise<ActiveFlow[]>;
}

interface ActiveHead {
  name: string;
  activeVersion: number;
}

const byName = (a: ActiveFlow, b: ActiveFlow) => a.flow.name.localeCompare(b.flow.name);

/**
 * The flow registry over uploaded flows (MongoDB, versioned) and the local folder. A workspace's
 * active heads are cached for `BOT_FLOWS_REFRESH_MS`, dropped at once by `invalidate` (this
 * process's changes) or a change announced on the bus (other processes'); compiled versions are
 * cached by (workspace, name, version), since a stored version never changes.
 */
export function createFlowRegistry(deps: FlowRegistryDeps): LiveFlowRegistry {
  const compiled = deps.compiled ?? createCompiledFlowCache(deps.logger);
  const cache = new LRUMapWithDelete<string, CachedFlows>(10_000);
  const refreshMs = deps.config.BOT_FLOWS_REFRESH_MS;
  const demo = demoWorkspaceLookup(deps.models, refreshMs);
  let unsubscribe: (() => Promise<void>) | null = null;

  async function loadUploaded(workspaceId: string): Promise<ActiveFlow[]> {
    const heads = (await deps.models.BotFlowHead.find({
      workspaceId,
      enabled: true,
      activeVersion: trusted({ $ne: null }),
    })
      .select({ name: 1, activeVersion: 1 })
      .lean()
      .exec()) as ActiveHead[];
    if (heads.length === 0) return [];
    const stored = (await deps.models.BotFlow.find({
      workspaceId,
      $or: heads.map((head) => ({ name: head.name, version: head.activeVersion })),
    })
      .lean()
      .exec()) as CompilableVersion[];
    return stored.flatMap((version): ActiveFlow[] => {
      const flow = compiled.compiled(version);
      return flow ? [{ flow, origin: 'api', version: version.version }] : [];
    });
  }

  function uploaded(workspaceId: string): Promise<ActiveFlow[]> {
    const cached = cache.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < refreshMs) return cached.flows;
    const entry: CachedFlows = { loadedAt: Date.now(), flows: loadUploaded(workspaceId) };
    cache.set(workspaceId, entry);
    entry.flows.catch(() => {
      if (cache.get(workspaceId) === entry) cache.delete(workspaceId);
    });
    return entry.flows;
  }

  async function folderFlows(workspaceId: string): Promise<FolderFlow[]> {
    const folder = deps.folder;
    if (!folder || !isValidObjectId(workspaceId)) return [];
    const own = folder.flowsIn(workspaceId);
    const demoFlows = folder.flowsIn(demoFolderName);
    if (demoFlows.length === 0 || !(await demo.is(workspaceId))) return own;
    const seen = new Set(own.map((f) => f.flow.name));
    return [...own, ...demoFlows.filter((f) => !seen.has(f.flow.name))];
  }

  async function activeFlows(workspaceId: string): Promise<ActiveFlow[]> {
    if (!isValidObjectId(workspaceId)) return [];
    const [fromFolder, apiFlows] = await Promise.all([folderFlows(workspaceId), uploaded(workspaceId)]);
    const folderNames = new Set(fromFolder.map((f) => f.flow.name));
    const folderActive = fromFolder.map((f): ActiveFlow => ({ flow: f.flow, origin: 'folder', version: 0 }));
    return [...folderActive, ...apiFlows.filter((f) => !folderNames.has(f.flow.name))].sort(byName);
  }

  return {
    activeFlows,
    folderFlows,
    async flowFor(workspaceId, channel, hints) {
      return pickFlow(await activeFlows(workspaceId), channel, hints);
    },
    async hasFlowFor(workspaceId, channel) {
      return servesChannel(await activeFlows(workspaceId), channel);
    },
    invalidate(workspaceId) {
      if (workspaceId === undefined) cache.clear();
      else cache.delete(workspaceId);
    },
    async start() {
      if (!deps.bus || unsubscribe) return;
      unsubscribe = await deps.bus.subscribe((workspaceId) => cache.delete(workspaceId));
    },
    async close() {
      await unsubscribe?.();
      unsubscribe = null;
    },
  };
}

/** Whether a workspace is the demo one (`demo: true`): its id is remembered once found, its absence for `retryMs`. */
function demoWorkspaceLookup(models: Models, retryMs: number) {
  let demoId: string | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  return {
    async is(workspaceId: string): Promise<boolean> {
      if (demoId === null && Date.now() - checkedAt >= retryMs) {
        checkedAt = Date.now();
        const found = await models.Workspace.findOne({ demo: true }).select({ _id: 1 }).lean().exec();
        demoId = found ? String(found._id) : null;
      }
      return demoId === workspaceId;
    },
  };
}
