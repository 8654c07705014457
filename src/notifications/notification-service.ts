import type { Queue } from 'bullmq';
import { Types, trusted } from 'mongoose';
import { AppError } from '../errors/app-error';
import { parseInput } from '../http/validation';
import type { Logger } from '../logging/logger';
import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';
import type { TemplateService } from '../templates/template-service';
import { AcceptScope } from './accept-notification';
import { notificationJobs, type StoredAttempt, type StoredNotification } from './notification-context';
import { type SendNotification, sendNotificationSchema } from './notification-schema';
import type { NotificationStatus } from './notification-status';
import { type NotificationView, notificationView } from './notification-view';
import { ShortLivedCache } from './short-lived-cache';

export interface NotificationServiceDeps {
  models: Models;
  queue: Queue;
  templates: TemplateService;
  /** Accept `http` and private callback URLs (local mode, tests): `WEBHOOKS_ALLOW_PRIVATE`. */
  allowPrivateCallbacks: boolean;
  logger: Logger;
  /** How long channels and templates read while accepting are shared across requests (default 2000 ms; 0: never). */
  lookupTtlMs?: number;
}

export type BatchItemResult =
  | { index: number; id: string; status: 'accepted' }
  | {
      index: number;
      error: { code: string; status: number; detail: string; errors?: { path: string; message: string }[] };
    };

export interface NotificationFilters {
  status?: NotificationStatus;
  channel?: string;
  phone?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/**
 * Accepting and reading notifications. A notification is stored before the 202; its first step
 * is queued right after with a deterministic job id (the sweeper re-queues it if that enqueue is
 * lost), so nothing accepted is lost.
 */
export class NotificationService {
  private readonly lookups: ShortLivedCache;

  constructor(private readonly deps: NotificationServiceDeps) {
    this.lookups = new ShortLivedCache(deps.lookupTtlMs ?? 2000);
  }

  async accept(
    workspaceId: WorkspaceId,
    input: SendNotification,
  ): Promise<{ id: string; status: 'accepted' }> {
    const doc = await this.scope(workspaceId).build(input);
    const [id] = await this.store([doc]);
    return { id: String(id), status: 'accepted' };
  }

  /** Validates and accepts each item on its own: a bad item gets its problem, the others go out. */
  async acceptBatch(workspaceId: WorkspaceId, items: readonly unknown[]): Promise<BatchItemResult[]> {
    const scope = this.scope(workspaceId);
    const results: BatchItemResult[] = [];
    const docs: { index: number; doc: Record<string, unknown> }[] = [];
    for (const [index, item] of items.entries()) {
      try {
        docs.push({ index, doc: await scope.build(parseItem(item, index)) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ index, error: problemOf(error) });
      }
    }
    const ids = await this.store(docs.map((entry) => entry.doc));
    docs.forEach((entry, position) => {
      results.push({ index: entry.index, id: String(ids[position]), status: 'accepted' });
    });
    return results.sort((a, b) => a.index - b.index);
  }

  async get(workspaceId: WorkspaceId, id: string): Promise<NotificationView> {
    if (!Types.ObjectId.isValid(id)) throw notFound();
    const doc = (await this.deps.models.Notification.findOne({ _id: id, workspaceId })
      .lean()
      .exec()) as StoredNotification | null;
    if (!doc) throw notFound();
    const attempts = (await this.deps.models.NotificationAttempt.find({ notificationId: doc._id })
      .sort({ step: 1 })
      .lean()
      .exec()) as StoredAttempt[];
    return notificationView(doc, attempts);
  }

  async list(workspaceId: WorkspaceId, filters: NotificationFilters) {
    const idRange: Record<string, Types.ObjectId> = {};
    if (filters.from) idRange.$gte = Types.ObjectId.createFromTime(Math.floor(filters.from.getTime() / 1000));
    if (filters.to) idRange.$lt = Types.ObjectId.createFromTime(Math.ceil(filters.to.getTime() / 1000));
    if (filters.cursor) {
      const cursor = new Types.ObjectId(filters.cursor);
      if (!idRange.$lt || cursor < idRange.$lt) idRange.$lt = cursor;
    }
    const filter: Record<string, unknown> = { workspaceId };
    if (Object.keys(idRange).length > 0) filter._id = trusted(idRange);
    if (filters.status) filter.status = filters.status;
    if (filters.phone) filter['to.phone'] = filters.phone;
    if (filters.channel) filter.channels = filters.channel;
    const docs = (await this.deps.models.Notification.find(filter)
      .sort({ _id: -1 })
      .limit(filters.limit + 1)
      .lean()
      .exec()) as StoredNotification[];
    const page = docs.slice(0, filters.limit);
    return {
      items: page.map((doc) => notificationView(doc, null)),
      nextCursor: docs.length > filters.limit ? String(page.at(-1)?._id) : null,
    };
  }

  private scope(workspaceId: WorkspaceId): AcceptScope {
    return new AcceptScope(this.deps, workspaceId, this.lookups);
  }

  /** Inserts in one round trip (no document hydration), then queues each first step. */
  private async store(docs: Record<string, unknown>[]): Promise<Types.ObjectId[]> {
    if (docs.length === 0) return [];
    const now = new Date();
    const full = docs.map((doc) => ({
      ...doc,
      _id: new Types.ObjectId(),
      workspaceId: new Types.ObjectId(String(doc.workspaceId)),
      createdAt: now,
      updatedAt: now,
    }));
    await this.deps.models.Notification.collection.insertMany(full, { ordered: true });
    const ids = full.map((doc) => doc._id);
    try {
      await this.deps.queue.addBulk(ids.map((id) => notificationJobs.step(String(id), 0)));
    } catch (error) {
      // Stored already: the sweeper queues them. The caller still gets its 202.
      this.deps.logger.warn({ err: error, count: ids.length }, 'enqueue failed; the sweeper will queue them');
    }
    return ids;
  }
}

function parseItem(item: unknown, index: number): SendNotification {
  return parseInput(sendNotificationSchema, item, `body.items.${index}`);
}

function problemOf(error: AppError): Extract<BatchItemResult, { error: unknown }>['error'] {
  return {
    code: error.code,
    status: error.status,
    detail: error.detail,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
  };
}

function notFound(): AppError {
  return new AppError('resource.not_found', 'No such notification in this workspace.');
}
