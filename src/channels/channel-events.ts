import type { Queue } from 'bullmq';
import type { Types } from 'mongoose';
import type { NormalizedEvent } from '../../adapters/contract';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';

const maxRawBytes = 64 * 1024;

export interface EventSource {
  channelId: Types.ObjectId | string;
  workspaceId: Types.ObjectId | string;
}

/**
 * Stores normalized events under the unique (channel, eventKey) index and queues the new ones for
 * processing. A duplicate (a platform retry, five concurrent deliveries, another process that got
 * there first) is skipped. Returns how many events were new. Storing happens before the platform
 * gets its answer; queueing is by event id (deterministic job id), so a lost enqueue is repaired by
 * the sweeper and a double enqueue is one job.
 */
export async function recordEvents(
  models: Models,
  queue: Queue,
  source: EventSource,
  events: NormalizedEvent[],
  raw: Buffer | null,
): Promise<{ stored: number; duplicates: number }> {
  const rawText = raw ? raw.subarray(0, maxRawBytes).toString('utf8') : '';
  let stored = 0;
  for (const event of events) {
    const id = await insertOnce(models, source, event, rawText);
    if (!id) continue;
    stored += 1;
    await enqueueEvent(queue, id);
  }
  return { stored, duplicates: events.length - stored };
}

async function insertOnce(
  models: Models,
  source: EventSource,
  event: NormalizedEvent,
  raw: string,
): Promise<string | null> {
  try {
    const doc = await models.ChannelEvent.create({
      workspaceId: source.workspaceId,
      channelId: source.channelId,
      eventKey: event.eventKey,
      type: event.type,
      event,
      raw,
    });
    return String(doc._id);
  } catch (error) {
    if (isDuplicateKey(error)) return null;
    throw error;
  }
}

export function enqueueEvent(queue: Queue, eventId: string): Promise<unknown> {
  return queue.add(
    'process-event',
    { eventId },
    {
      jobId: `event-${eventId}`,
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    },
  );
}
