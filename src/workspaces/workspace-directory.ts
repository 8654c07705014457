import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';

export interface WorkspaceSummary {
  id: string;
  name: string;
  demo: boolean;
  createdAt: Date;
}

export interface WorkspaceDirectory {
  /** The workspace, from a short-lived in-process cache; null when it does not exist. */
  get(workspaceId: WorkspaceId): Promise<WorkspaceSummary | null>;
}

/**
 * Workspace facts are read on most requests and change rarely, so each process keeps them for
 * `ttlMs` instead of reading MongoDB every time. Not promised: that a change made by another
 * process is seen before the TTL passes.
 */
export function createWorkspaceDirectory(models: Models, ttlMs: number): WorkspaceDirectory {
  const cache = new Map<string, { value: WorkspaceSummary | null; at: number }>();
  return {
    async get(workspaceId) {
      const hit = cache.get(workspaceId);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const doc = await models.Workspace.findById(workspaceId).lean().exec();
      const value = doc
        ? { id: String(doc._id), name: doc.name, demo: doc.demo, createdAt: doc.createdAt }
        : null;
      if (ttlMs > 0) cache.set(workspaceId, { value, at: Date.now() });
      return value;
    },
  };
}
