import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { ChannelKind, ConnectResult } from '../../adapters/contract';
import { AppError } from '../errors/app-error';
import {
  type ChannelLimits,
  type ChannelLimitsInput,
  effectiveLimits,
  type LimitOverrides,
} from '../limits/channel-limits';
import type { Logger } from '../logging/logger';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import { TenantRepository, type WorkspaceId } from '../storage/tenant-repository';
import { claimChannelChange } from './channel-claim-model';
import { checkConfig, maskedConfig, openConfig, type PlainConfig, sealConfig } from './channel-config';
import type { ChannelDoc } from './channel-model';
import { type ChannelRecord, type ChannelRuntime, definitionOf, webhookUrlOf } from './channel-runtime';
import type { SecretBox } from './secret-box';

export interface ChannelView {
  id: string;
  type: ChannelKind;
  name: string;
  config: PlainConfig;
  webhookUrl: string;
  connection: { state: ConnectResult['webhook']; detail: string; checkedAt: string };
  /** Effective delivery limits: the stored overrides over the type's defaults. */
  limits: ChannelLimits;
  createdAt: string;
  updatedAt: string;
}

type StoredChannel = ChannelDoc & { _id: Types.ObjectId };
type Connection = { state: ConnectResult['webhook']; detail: string; checkedAt: Date };

export interface ChannelServiceDeps {
  models: Models;
  box: SecretBox;
  runtime: ChannelRuntime;
  publicUrl: string;
  logger: Logger;
}

/** Creating, changing and removing a workspace's channels. Every call is scoped to its workspace. */
export class ChannelService {
  private readonly repo: TenantRepository<ChannelDoc>;

  constructor(private readonly deps: ChannelServiceDeps) {
    this.repo = new TenantRepository(deps.models.Channel);
  }

  view(doc: StoredChannel): ChannelView {
    const id = String(doc._id);
    return {
      id,
      type: doc.type as ChannelKind,
      name: doc.name,
      config: maskedConfig({ settings: doc.settings ?? {}, secrets: doc.secrets ?? {} }, this.deps.box, id),
      webhookUrl: webhookUrlOf(this.deps.publicUrl, id),
      connection: {
        state: (doc.connection?.state ?? 'failed') as ConnectResult['webhook'],
        detail: doc.connection?.detail ?? '',
        checkedAt: (doc.connection?.checkedAt ?? doc.updatedAt).toISOString(),
      },
      limits: effectiveLimits({ type: doc.type as ChannelKind, limits: doc.limits, settings: doc.settings }),
      createdAt: doc.createdAt.toISOString(),
      updatedAt: doc.updatedAt.toISOString(),
    };
  }

  async list(workspaceId: WorkspaceId, type?: ChannelKind): Promise<StoredChannel[]> {
    return (await this.repo.find(workspaceId, type ? { type } : {}, { limit: 500 })) as StoredChannel[];
  }

  async get(workspaceId: WorkspaceId, id: string): Promise<StoredChannel> {
    const doc = await this.repo.findById(workspaceId, id);
    if (!doc) throw new AppError('resource.not_found', `No channel ${id} in this workspace.`);
    return doc as StoredChannel;
  }

  /** The channel's most recent events, newest first: what the platform sent and what became of it. */
  async recentEvents(workspaceId: WorkspaceId, id: string, limit: number) {
    const channel = await this.get(workspaceId, id);
    return this.deps.models.ChannelEvent.find({ workspaceId: channel.workspaceId, channelId: channel._id })
      .sort({ _id: -1 })
      .limit(limit)
      .select({ raw: 0 })
      .lean()
      .exec();
  }

  /**
   * Validates the config for its type, seals secrets and stores the channel, then connects it
   * (webhook registration). Stored first: platforms check the webhook while registering it
   * (VK's confirmation, Viber's signed `webhook` event), and the ingress must find the channel.
   */
  async create(
    workspaceId: WorkspaceId,
    input: { type: ChannelKind; name: string; config: unknown; limits?: ChannelLimitsInput },
  ): Promise<StoredChannel> {
    const definition = definitionOf(input.type);
    const config = this.valid(definition.kind, input.config);
    const _id = new Types.ObjectId();
    const id = String(_id);
    const record: ChannelRecord = {
      _id,
      workspaceId: new Types.ObjectId(workspaceId),
      type: input.type,
      ...sealConfig(definition, config, this.deps.box, id),
      webhookKey: this.deps.box.seal(randomBytes(24).toString('base64url'), `${id}:webhookKey`),
      revision: 1,
    };
    await this.insert(workspaceId, {
      ...record,
      name: input.name,
      connection: connecting(),
      limits: limitOverrides(null, input.limits),
    });
    return this.save(workspaceId, id, { connection: await this.connect(record, config) }, record.revision);
  }

  /**
   * Changes name, config and/or limits. Config fields are merged; secret fields left out keep their
   * value. Limit fields are merged too; `limits: null` drops every override.
   */
  async update(
    workspaceId: WorkspaceId,
    id: string,
    patch: { name?: string; config?: Record<string, unknown>; limits?: ChannelLimitsInput | null },
  ): Promise<StoredChannel> {
    const current = await this.get(workspaceId, id);
    const limits = patch.limits === undefined ? {} : { limits: limitOverrides(current.limits, patch.limits) };
    if (!patch.config) {
      await this.claim(current);
      return this.save(workspaceId, id, { name: patch.name ?? current.name, ...limits }, current.revision, 1);
    }
    const definition = definitionOf(current.type);
    const config = this.valid(definition.kind, { ...this.opened(current), ...patch.config });
    const stored = sealConfig(definition, config, this.deps.box, id);
    const revision = current.revision + 1;
    await this.claim(current);
    await this.save(
      workspaceId,
      id,
      { name: patch.name ?? current.name, ...stored, revision, connection: connecting(), ...limits },
      current.revision,
      1,
    );
    await this.deps.runtime.evict(id);
    const connection = await this.connect({ ...current, ...stored, revision }, config);
    return this.save(workspaceId, id, { connection }, revision);
  }

  /** Removes the channel after asking the platform to stop sending (webhook removal), best effort. */
  async remove(workspaceId: WorkspaceId, id: string): Promise<void> {
    const current = await this.get(workspaceId, id);
    await this.deps.runtime.evict(id);
    try {
      const adapter = this.deps.runtime.build(current);
      await adapter.disconnect?.();
      await adapter.close();
    } catch (error) {
      this.deps.logger.warn({ err: error, channelId: id }, 'channel disconnect failed; removing anyway');
    }
    await this.deps.models.Channel.deleteOne({ _id: current._id, workspaceId: current.workspaceId }).exec();
  }

  private valid(kind: ChannelKind, input: unknown): PlainConfig {
    const check = checkConfig(definitionOf(kind), input);
    if (!check.ok)
      throw new AppError('channel.config_invalid', `The config is not valid for a ${kind} channel.`, {
        errors: check.errors,
      });
    return check.config;
  }

  private opened(doc: StoredChannel): PlainConfig {
    try {
      return openConfig(
        { settings: doc.settings ?? {}, secrets: doc.secrets ?? {} },
        this.deps.box,
        String(doc._id),
      );
    } catch (error) {
      throw new AppError(
        'channel.unavailable',
        'The stored secrets of this channel cannot be decrypted; send them again.',
        { cause: error },
      );
    }
  }

  private async connect(record: ChannelRecord, config: PlainConfig): Promise<Connection> {
    const adapter = this.deps.runtime.build(record, config);
    let result: ConnectResult;
    try {
      result = await adapter.connect();
    } catch (error) {
      result = { webhook: 'failed', detail: error instanceof Error ? error.message : String(error) };
    } finally {
      await adapter.close().catch(() => {});
    }
    const detail =
      result.webhook === 'manual' ? result.instructions : result.webhook === 'failed' ? result.detail : '';
    return { state: result.webhook, detail, checkedAt: new Date() };
  }

  private async insert(
    workspaceId: WorkspaceId,
    doc: ChannelRecord & { name: string; connection: Connection; limits: LimitOverrides },
  ): Promise<StoredChannel> {
    try {
      return (await this.repo.create(workspaceId, doc as never)) as StoredChannel;
    } catch (error) {
      throw nameTaken(error) ?? error;
    }
  }

  /** Only one of two PATCHes that read the same channel may change it; the other is a 409. */
  private async claim(current: StoredChannel): Promise<void> {
    if (!(await claimChannelChange(this.deps.models, current))) throw changedMeanwhile();
  }

  /** `seq` is 1 for a claimed change (see `claim`), 0 for the connection state written after one. */
  private async save(
    workspaceId: WorkspaceId,
    id: string,
    set: Partial<ChannelDoc>,
    expectedRevision: number,
    seq: 0 | 1 = 0,
  ): Promise<StoredChannel> {
    try {
      const doc = await this.repo.updateOneWhere(
        workspaceId,
        id,
        { revision: expectedRevision },
        { $set: set, ...(seq ? { $inc: { seq } } : {}) },
      );
      if (!doc) throw changedMeanwhile();
      return doc as StoredChannel;
    } catch (error) {
      throw nameTaken(error) ?? error;
    }
  }
}

/** Stored overrides after applying `input` (fields merged, undefined skipped; null input = none kept). */
function limitOverrides(
  stored: LimitOverrides | null | undefined,
  input: ChannelLimitsInput | null | undefined,
): LimitOverrides {
  if (input === null) return {};
  const given = Object.entries(input ?? {}).filter(([, value]) => value !== undefined);
  return { ...(stored ?? {}), ...Object.fromEntries(given) };
}

const changedMeanwhile = (): AppError =>
  new AppError('resource.conflict', 'The channel changed meanwhile; read it again and retry.');

/** The state while the platform is being asked to register the webhook. */
function connecting(): Connection {
  return {
    state: 'failed',
    detail: 'connecting: the platform has not confirmed the webhook yet',
    checkedAt: new Date(),
  };
}

function nameTaken(error: unknown): AppError | null {
  if (isDuplicateKey(error)) {
    return new AppError('resource.conflict', 'A channel with this name already exists in the workspace.');
  }
  return null;
}
