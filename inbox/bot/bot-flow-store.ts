import type { Types } from 'mongoose';
import { compileFlowSource } from '../../bot-flows/declarative';
import type { BotFlow } from '../../bot-flows/engine';
import { AppError } from '../../src/errors/app-error';
import { isDuplicateKey } from '../../src/storage/duplicate-key';
import type { KeyedLock } from '../../src/storage/keyed-lock';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { BotFlowFormat } from './bot-flow-model';
import { type CompiledFlowCache, uploadFileName } from './compiled-flow-cache';

/** Who uploaded a version. */
export interface FlowAuthor {
  type: 'operator' | 'api-key';
  id: string;
  name: string;
}

/** One stored version as read back. */
export interface StoredFlowVersion {
  workspaceId: Types.ObjectId;
  name: string;
  version: number;
  source: string;
  format: BotFlowFormat;
  channels: string[] | null;
  notifications: string[];
  entryCount: number;
  createdBy: FlowAuthor;
  createdAt: Date;
}

/** A flow's head as read back. */
export interface StoredFlowHead {
  _id: Types.ObjectId;
  name: string;
  activeVersion: number | null;
  latestVersion: number;
  enabled: boolean;
  updatedAt: Date;
}

export interface FlowUpload {
  source: string;
  format: BotFlowFormat;
  /** Make the new version the active one (default in the API). */
  activate: boolean;
  createdBy: FlowAuthor;
}

export interface UploadOutcome {
  version: StoredFlowVersion;
  active: boolean;
  /** false: the source is the active version's, nothing was stored. */
  created: boolean;
}

export interface BotFlowStoreDeps {
  models: Models;
  /** Per-flow lock (Redis): head changes are read-decide-write, not atomic on FerretDB v1. */
  lock: KeyedLock;
  /** Given each uploaded version as compiled, so the registry does not compile it again. */
  compiled: CompiledFlowCache;
  /** After a change: drop this process's cache and tell the others. */
  onChange(workspaceId: WorkspaceId): Promise<void>;
}

/** How many taken version numbers an upload skips before giving up (only without the lock). */
const versionClaimAttempts = 10;

export const flowNotFound = (name: string) =>
  new AppError('bot_flow.not_found', `No bot flow "${name}" was uploaded to this workspace.`);

/**
 * Uploaded flows: every upload is a new version (claimed through the unique index), the head says
 * which one runs. Every change of a head runs under the flow's lock and is announced by `onChange`.
 */
export function createBotFlowStore(deps: BotFlowStoreDeps) {
  const { BotFlow: Versions, BotFlowHead: Heads } = deps.models;
  const underLock = <T>(workspaceId: WorkspaceId, name: string, work: () => Promise<T>) =>
    deps.lock(`${workspaceId}:${name}`, work);

  const findHead = async (workspaceId: WorkspaceId, name: string) =>
    (await Heads.findOne({ workspaceId, name }).lean().exec()) as StoredFlowHead | null;
  const head = async (workspaceId: WorkspaceId, name: string) => {
    const found = await findHead(workspaceId, name);
    if (!found) throw flowNotFound(name);
    return found;
  };
  const findVersion = async (workspaceId: WorkspaceId, name: string, version: number) =>
    (await Versions.findOne({ workspaceId, name, version }).lean().exec()) as StoredFlowVersion | null;

  async function insertVersion(workspaceId: WorkspaceId, flow: BotFlow, upload: FlowUpload, first: number) {
    for (let version = first; ; version += 1) {
      try {
        const doc = await Versions.create({
          workspaceId,
          name: flow.name,
          version,
          ...versionFields(flow, upload),
        });
        return doc.toObject() as StoredFlowVersion;
      } catch (error) {
        if (!isDuplicateKey(error) || version - first >= versionClaimAttempts) throw error;
      }
    }
  }

  async function moveHead(
    workspaceId: WorkspaceId,
    name: string,
    current: StoredFlowHead | null,
    upload: { version: number; activate: boolean },
  ) {
    const updatedAt = new Date();
    const active = upload.activate ? { activeVersion: upload.version } : {};
    if (!current) {
      try {
        const fields = { latestVersion: upload.version, activeVersion: null, enabled: true, updatedAt };
        await Heads.create({ workspaceId, name, ...fields, ...active });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    const latestVersion = Math.max(current?.latestVersion ?? 0, upload.version);
    await Heads.updateOne({ workspaceId, name }, { $set: { latestVersion, updatedAt, ...active } }).exec();
  }

  /** Changes an existing head under the flow's lock, then announces it; 404 for an unknown flow. */
  async function changeHead(
    workspaceId: WorkspaceId,
    name: string,
    change: (current: StoredFlowHead) => Promise<void>,
  ): Promise<void> {
    await underLock(workspaceId, name, async () => change(await head(workspaceId, name)));
    await deps.onChange(workspaceId);
  }

  return {
    findHead,
    head,
    findVersion,
    /** A version without its source (listings). */
    async versionInfo(workspaceId: WorkspaceId, name: string, version: number) {
      return (await Versions.findOne({ workspaceId, name, version })
        .select({ source: 0 })
        .lean()
        .exec()) as Omit<StoredFlowVersion, 'source'> | null;
    },
    /** Several versions without their sources, in one query, by flow name. */
    async versionInfos(workspaceId: WorkspaceId, refs: readonly { name: string; version: number }[]) {
      if (refs.length === 0) return new Map<string, Omit<StoredFlowVersion, 'source'>>();
      const found = (await Versions.find({
        workspaceId,
        $or: refs.map(({ name, version }) => ({ name, version })),
      })
        .select({ source: 0 })
        .lean()
        .exec()) as Omit<StoredFlowVersion, 'source'>[];
      return new Map(found.map((info) => [info.name, info]));
    },
    /** A version of an existing flow; 404 for an unknown flow or version. */
    async version(workspaceId: WorkspaceId, name: string, version: number) {
      await head(workspaceId, name);
      const found = await findVersion(workspaceId, name, version);
      if (!found) throw versionNotFound(name, version);
      return found;
    },
    /** Heads of the workspace by name (at most 500). */
    async heads(workspaceId: WorkspaceId) {
      return (await Heads.find({ workspaceId })
        .sort({ name: 1 })
        .limit(500)
        .lean()
        .exec()) as StoredFlowHead[];
    },
    /** Versions of a flow, newest first, without their sources (at most 1000). */
    async versions(workspaceId: WorkspaceId, name: string) {
      await head(workspaceId, name);
      return (await Versions.find({ workspaceId, name })
        .sort({ version: -1 })
        .limit(1000)
        .select({ source: 0 })
        .lean()
        .exec()) as Omit<StoredFlowVersion, 'source'>[];
    },
    /** Compiles (throws FlowSourceInvalid) and stores the next version of the flow the file names. */
    async upload(workspaceId: WorkspaceId, upload: FlowUpload): Promise<UploadOutcome> {
      const flow = compileFlowSource(upload.source, { fileName: uploadFileName(upload.format) });
      const outcome = await underLock(workspaceId, flow.name, async () => {
        const current = await findHead(workspaceId, flow.name);
        const active = current?.activeVersion
          ? await findVersion(workspaceId, flow.name, current.activeVersion)
          : null;
        if (active && active.source === upload.source)
          return { version: active, active: true, created: false };
        const stored = await insertVersion(workspaceId, flow, upload, (current?.latestVersion ?? 0) + 1);
        deps.compiled.remember(stored, flow);
        await moveHead(workspaceId, flow.name, current, {
          version: stored.version,
          activate: upload.activate,
        });
        return { version: stored, active: upload.activate, created: true };
      });
      if (outcome.created) await deps.onChange(workspaceId);
      return outcome;
    },
    /** Makes an existing version the active one (a rollback, or activating one uploaded inactive). */
    async activate(workspaceId: WorkspaceId, name: string, version: number) {
      await changeHead(workspaceId, name, async (current) => {
        if (!(await findVersion(workspaceId, name, version))) throw versionNotFound(name, version);
        await Heads.updateOne(
          { _id: current._id },
          { $set: { activeVersion: version, updatedAt: new Date() } },
        ).exec();
      });
    },
    /** Lets the flow serve, or stops it (its versions are kept). */
    async setEnabled(workspaceId: WorkspaceId, name: string, enabled: boolean) {
      await changeHead(workspaceId, name, async (current) => {
        await Heads.updateOne({ _id: current._id }, { $set: { enabled, updatedAt: new Date() } }).exec();
      });
    },
    /** Removes the flow and every version of it. */
    async remove(workspaceId: WorkspaceId, name: string) {
      await changeHead(workspaceId, name, async (current) => {
        // Versions first: a crash in between leaves a head whose version is gone (skipped by the
        // registry, deletable again), never orphan versions that a new upload would collide with.
        await Versions.deleteMany({ workspaceId, name }).exec();
        await Heads.deleteOne({ _id: current._id }).exec();
      });
    },
  };
}

export type BotFlowStore = ReturnType<typeof createBotFlowStore>;

function versionFields(flow: BotFlow, upload: FlowUpload) {
  return {
    source: upload.source,
    format: upload.format,
    channels: flow.channels ? [...flow.channels] : null,
    notifications: [...flow.notifications],
    entryCount: flow.entries.length,
    createdBy: upload.createdBy,
    createdAt: new Date(),
  };
}

export const versionNotFound = (name: string, version: number) =>
  new AppError('bot_flow.version_not_found', `The bot flow "${name}" has no version ${version}.`);
