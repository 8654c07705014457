import type { Queue } from 'bullmq';
import type { Types } from 'mongoose';
import type { AdapterDefinition, ChannelAdapter, ChannelKind } from '../../adapters/contract';
import { adapterRegistry } from '../../adapters/registry';
import type { Logger } from '../logging/logger';
import type { Models } from '../storage/models';
import { openConfig, type PlainConfig } from './channel-config';
import { recordEvents } from './channel-events';
import type { SecretBox } from './secret-box';

/** The stored fields an adapter is built from. */
export interface ChannelRecord {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  type: string;
  settings?: unknown;
  secrets?: unknown;
  webhookKey: string;
  revision: number;
}

export interface ChannelRuntimeOptions {
  models: Models;
  box: SecretBox;
  publicUrl: string;
  logger: Logger;
  eventsQueue: Queue;
  requestTimeoutMs?: number;
  /** How long a webhook's channel lookup is reused (default 2 s). */
  recordCacheMs?: number;
}

export function definitionOf(type: string): AdapterDefinition {
  const definition = adapterRegistry[type as ChannelKind];
  if (!definition) throw new RangeError(`unknown channel type ${type}`);
  return definition;
}

export function webhookUrlOf(publicUrl: string, channelId: string): string {
  return `${publicUrl}/webhooks/${channelId}`;
}

/**
 * Live adapters, one per channel, built from stored config through the registry and rebuilt when
 * the channel's revision moves. Push adapters hand their events to the same store as webhooks.
 */
export class ChannelRuntime {
  private readonly adapters = new Map<string, { revision: number; adapter: ChannelAdapter }>();
  private readonly records = new Map<string, { record: ChannelRecord | null; until: number }>();
  private opensConnections = false;

  constructor(private readonly options: ChannelRuntimeOptions) {}

  /**
   * The stored channel behind a webhook, cached for `recordCacheMs` (webhooks arrive in bursts;
   * each one would otherwise read the same document). This process forgets an entry at once when
   * it changes the channel; other processes see a change within the cache time.
   */
  async lookup(channelId: string): Promise<ChannelRecord | null> {
    const cached = this.records.get(channelId);
    if (cached && cached.until > Date.now()) return cached.record;
    const record = (await this.options.models.Channel.findById(channelId)
      .lean()
      .exec()) as ChannelRecord | null;
    if (this.records.size > 10_000) this.records.clear();
    this.records.set(channelId, { record, until: Date.now() + (this.options.recordCacheMs ?? 2000) });
    return record;
  }

  /** The adapter for a channel; throws `SecretBoxError` when its secrets cannot be opened. */
  adapterFor(channel: ChannelRecord): ChannelAdapter {
    const id = String(channel._id);
    const cached = this.adapters.get(id);
    if (cached?.revision === channel.revision) return cached.adapter;
    if (cached) void this.closeQuietly(id, cached.adapter);
    const adapter = this.build(channel);
    this.adapters.set(id, { revision: channel.revision, adapter });
    if (this.opensConnections && definitionOf(channel.type).holdsConnection)
      this.connectInBackground(id, adapter);
    return adapter;
  }

  /**
   * Worker role: from now on, an adapter built for a push channel (an SMPP bind) opens its
   * connection at once — a channel created or changed after the worker started is bound too.
   */
  holdConnections(): void {
    this.opensConnections = true;
  }

  private connectInBackground(channelId: string, adapter: ChannelAdapter): void {
    adapter.connect().then(
      (result) =>
        this.options.logger.info({ channelId, result: result.webhook }, 'channel connection opened'),
      (error: unknown) =>
        this.options.logger.warn({ err: error, channelId }, 'channel connection failed; the adapter retries'),
    );
  }

  /** Builds an adapter that is not cached (for a channel being created or deleted). */
  build(channel: ChannelRecord, config?: PlainConfig): ChannelAdapter {
    const id = String(channel._id);
    const definition = definitionOf(channel.type);
    const { box, models, eventsQueue } = this.options;
    const opened =
      config ??
      openConfig(
        {
          settings: asRecord(channel.settings),
          secrets: asRecord(channel.secrets) as Record<string, string>,
        },
        box,
        id,
      );
    return definition.create(opened, {
      logger: this.options.logger.child({ module: `vestnik:adapter:${channel.type}`, channelId: id }),
      webhook: {
        url: webhookUrlOf(this.options.publicUrl, id),
        key: box.open(channel.webhookKey, `${id}:webhookKey`),
      },
      emit: async (events) => {
        await recordEvents(
          models,
          eventsQueue,
          { channelId: channel._id, workspaceId: channel.workspaceId },
          events,
          null,
        );
      },
      requestTimeoutMs: this.options.requestTimeoutMs ?? 10_000,
    });
  }

  async evict(channelId: string): Promise<void> {
    this.records.delete(channelId);
    const cached = this.adapters.get(channelId);
    this.adapters.delete(channelId);
    if (cached) await this.closeQuietly(channelId, cached.adapter);
  }

  async closeAll(): Promise<void> {
    const all = [...this.adapters.entries()];
    this.adapters.clear();
    await Promise.all(all.map(([id, entry]) => this.closeQuietly(id, entry.adapter)));
  }

  private async closeQuietly(channelId: string, adapter: ChannelAdapter): Promise<void> {
    await adapter
      .close()
      .catch((error: unknown) => this.options.logger.warn({ err: error, channelId }, 'adapter close failed'));
  }
}

function asRecord(value: unknown): PlainConfig {
  return value && typeof value === 'object' ? (value as PlainConfig) : {};
}
