import type { Queue } from 'bullmq';
import { Types, trusted } from 'mongoose';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';
import type { BusinessEvents } from './business-events';
import { enqueueDeliveries } from './delivery-jobs';
import { assertMessageId } from './sign-delivery';
import { ALL_EVENTS } from './webhook-models';

interface StoredEvent {
  eventId: string;
  type: string;
  callbackUrl: string | null;
}

/** The delivery `target` of a workspace's callback URLs (endpoint deliveries use the endpoint id). */
export function callbackTarget(workspaceId: string): string {
  return `callback:${workspaceId}`;
}

/**
 * The MongoDB + BullMQ {@link BusinessEvents}: `publish` stores the event (unique per workspace
 * and event id), one delivery per subscribed active endpoint and one for `callbackUrl` (unique per
 * destination and event id), then queues a job per pending delivery. An event with no subscribed
 * endpoint and no callback URL is not stored at all (only deliveries ever read it). Each step is idempotent, so a
 * publish that failed half-way is completed by publishing again with the same `eventId`.
 *
 * Not promised: the callback URL is not checked here; a refused one fails its delivery (check it
 * where the business hands it over, with `assertWebhookUrl`).
 *
 * @throws TypeError when `options.eventId` is not 1–255 characters of `[A-Za-z0-9_.:-]`.
 */
export function createBusinessEvents(deps: { models: Models; queue: Queue }): BusinessEvents {
  return {
    async publish(workspaceId, type, data, options = {}) {
      const eventId = options.eventId ?? `evt_${new Types.ObjectId().toHexString()}`;
      assertMessageId(eventId);
      const endpoints = await subscribedEndpoints(deps.models, workspaceId, type);
      // Nobody listens: storing the event would only cost writes on every status change.
      if (endpoints.length === 0 && !options.callbackUrl) return;
      const event = await storeEvent(deps.models, workspaceId, {
        eventId,
        type,
        callbackUrl: options.callbackUrl ?? null,
        payload: JSON.stringify({ type, timestamp: new Date().toISOString(), data }),
      });
      const pending = await createDeliveries(deps.models, workspaceId, event, endpoints);
      await enqueueDeliveries(deps.queue, pending);
    },
  };
}

/** Inserts the event, or returns the one stored by an earlier publish of the same id. */
async function storeEvent(
  models: Models,
  workspaceId: WorkspaceId,
  event: StoredEvent & { payload: string },
): Promise<StoredEvent> {
  try {
    await models.WebhookEvent.create({ workspaceId, ...event });
    return event;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const stored = await models.WebhookEvent.findOne({ workspaceId, eventId: event.eventId }).lean().exec();
    if (!stored) throw error;
    return { eventId: stored.eventId, type: stored.type, callbackUrl: stored.callbackUrl ?? null };
  }
}

interface NewDelivery {
  workspaceId: WorkspaceId;
  endpointId: Types.ObjectId | null;
  target: string;
  url: string | null;
  eventId: string;
  eventType: string;
  nextAttemptAt: Date;
}

/** The active endpoints of the workspace subscribed to `type`. */
function subscribedEndpoints(models: Models, workspaceId: WorkspaceId, type: string) {
  return models.WebhookEndpoint.find({
    workspaceId,
    state: 'active',
    eventTypes: trusted({ $in: [type, ALL_EVENTS] }),
  })
    .select({ _id: 1 })
    .lean()
    .exec();
}

/**
 * Inserts the deliveries that do not exist yet; returns the event's pending deliveries: the ones
 * just inserted, or — when an earlier publish of the event stored some — those read back still
 * pending.
 */
async function createDeliveries(
  models: Models,
  workspaceId: WorkspaceId,
  event: StoredEvent,
  endpoints: { _id: Types.ObjectId }[],
): Promise<{ _id: unknown; nextAttemptAt?: Date | null }[]> {
  const common = { workspaceId, eventId: event.eventId, eventType: event.type, nextAttemptAt: new Date() };
  const docs: NewDelivery[] = endpoints.map((endpoint) => ({
    ...common,
    endpointId: endpoint._id,
    target: String(endpoint._id),
    url: null,
  }));
  if (event.callbackUrl) {
    docs.push({ ...common, endpointId: null, target: callbackTarget(workspaceId), url: event.callbackUrl });
  }
  if (docs.length === 0) return [];
  try {
    return await models.WebhookDelivery.insertMany(docs, { ordered: false });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  return models.WebhookDelivery.find({
    target: trusted({ $in: docs.map((doc) => doc.target) }),
    eventId: event.eventId,
    state: 'pending',
  })
    .select({ _id: 1, nextAttemptAt: 1 })
    .lean()
    .exec();
}
