import type { Queue } from 'bullmq';
import { Types, trusted } from 'mongoose';
import { AppError } from '../errors/app-error';
import type { Models } from '../storage/models';
import { TenantRepository, type WorkspaceId } from '../storage/tenant-repository';
import { deliverNow } from './delivery-jobs';
import {
  type AttemptView,
  attemptView,
  type DeliveryPage,
  type DeliveryView,
  deliveryView,
  type StoredDelivery,
} from './delivery-view';
import type { WebhookEndpointService } from './endpoint-service';
import type { WebhookDeliveryDoc } from './webhook-models';

/** The delivery log of an endpoint and the replay of one delivery. */
export class DeliveryLog {
  private readonly deliveries: TenantRepository<WebhookDeliveryDoc>;

  constructor(private readonly deps: { models: Models; queue: Queue; endpoints: WebhookEndpointService }) {
    this.deliveries = new TenantRepository(deps.models.WebhookDelivery);
  }

  /** Newest first; `cursor` is the `nextCursor` of the previous page. */
  async list(
    workspaceId: WorkspaceId,
    endpointId: string,
    page: { limit: number; cursor?: string },
  ): Promise<DeliveryPage> {
    const endpoint = await this.deps.endpoints.get(workspaceId, endpointId);
    const before = page.cursor ? { _id: trusted({ $lt: new Types.ObjectId(page.cursor) }) } : {};
    const docs = (await this.deliveries.find(
      workspaceId,
      { endpointId: endpoint._id, ...before },
      { limit: page.limit + 1 },
    )) as StoredDelivery[];
    const items = docs.slice(0, page.limit);
    const views = await this.views(workspaceId, items);
    const last = items.at(-1);
    return { items: views, nextCursor: docs.length > page.limit && last ? String(last._id) : null };
  }

  /**
   * Sends the delivery's event again now, with the same `webhook-id`, whatever the delivery's
   * state: one more attempt; if it fails, the retry schedule goes on from the attempts made.
   * Not promised: an extra send while an attempt is in flight (that attempt is the one made now).
   */
  async replay(workspaceId: WorkspaceId, endpointId: string, deliveryId: string): Promise<DeliveryView> {
    const endpoint = await this.deps.endpoints.get(workspaceId, endpointId);
    if (endpoint.state !== 'active') {
      throw new AppError('webhook_endpoint.disabled', `${endpoint.disabledReason}; it was disabled.`);
    }
    const updated = (await this.deliveries.updateOneWhere(
      workspaceId,
      deliveryId,
      { endpointId: endpoint._id },
      { $set: { state: 'pending', nextAttemptAt: new Date(), lastError: '' } },
    )) as StoredDelivery | null;
    if (!updated) throw new AppError('resource.not_found', `No delivery ${deliveryId} for this endpoint.`);
    await deliverNow(this.deps.queue, deliveryId);
    const [view] = await this.views(workspaceId, [updated]);
    return view as DeliveryView;
  }

  /** The deliveries' views, with all their attempts read in one query. */
  private async views(workspaceId: WorkspaceId, docs: StoredDelivery[]): Promise<DeliveryView[]> {
    const attempts = docs.length
      ? await this.deps.models.WebhookAttempt.find({
          workspaceId,
          deliveryId: trusted({ $in: docs.map((doc) => doc._id) }),
        })
          .sort({ attempt: 1 })
          .lean()
          .exec()
      : [];
    const byDelivery = new Map<string, AttemptView[]>();
    for (const attempt of attempts) {
      const key = String(attempt.deliveryId);
      byDelivery.set(key, [...(byDelivery.get(key) ?? []), attemptView(attempt)]);
    }
    return docs.map((doc) => deliveryView(doc, byDelivery.get(String(doc._id)) ?? []));
  }
}
