import type { Job } from 'bullmq';
import { trusted } from 'mongoose';
import type { ChannelAdapter, InboundAttachment, NormalizedEvent } from '../../adapters/contract';
import type { AttachmentStore } from '../attachments/attachment-store';
import type { Logger } from '../logging/logger';
import { type QueueFactory, queueNames } from '../queue/queues';
import type { Models } from '../storage/models';
import { trustedWorkspaceId } from '../storage/tenant-repository';
import type { BusinessEvents } from '../webhooks-out/business-events';
import { inboundMessageData, inboundMessageEventId } from '../webhooks-out/inbound-message-event';
import type { ChannelEventDoc } from './channel-event-model';
import { enqueueEvent } from './channel-events';
import type { ChannelRuntime } from './channel-runtime';

export interface ChannelEventWorkerDeps {
  queues: QueueFactory;
  models: Models;
  runtime: ChannelRuntime;
  attachments: AttachmentStore;
  attachmentMaxBytes: number;
  logger: Logger;
  /** Publishes each inbound message to the business's webhooks (`message.inbound`); absent: nothing is. */
  events?: BusinessEvents;
  /** Other modules' reactions to events (delivery reports for notifications…), run after the built-in handling. */
  listeners?: readonly ChannelEventListener[];
}

/**
 * A module's reaction to a stored channel event. Every listener runs on every attempt (so each
 * must be idempotent). `retry` asks for the event to be processed again later (with backoff; e.g.
 * a delivery report that overtook the send's answer); on the last attempt the event is marked
 * processed anyway. `claimed` says the event was this listener's (a delivery report of an inbox
 * reply), so another listener's `retry` for it is moot. Throwing fails this attempt.
 */
export type ChannelEventListener = (input: {
  channelId: string;
  workspaceId: string;
  eventId: string;
  event: NormalizedEvent;
  /** Inbound messages: the files the worker kept, by attachment index (GridFS ids or why not). */
  files?: readonly KeptFile[];
}) => Promise<'done' | 'retry' | 'claimed'>;

/** An inbound attachment's file as the channel event worker kept it. */
export type KeptFile = {
  index: number;
  fileId: string | null;
  size: number;
  mimeType: string;
  error: string;
};

type StoredEvent = ChannelEventDoc & { _id: unknown };
type FileEntry = KeptFile;

interface EventWork {
  deps: ChannelEventWorkerDeps;
  doc: StoredEvent;
  event: NormalizedEvent;
  adapter: ChannelAdapter;
}

/** What happens to each event type off the request path. Types without an entry are only marked processed. */
const eventHandlers: Partial<
  Record<NormalizedEvent['type'], (work: EventWork) => Promise<Partial<ChannelEventDoc>>>
> = {
  'inbound-message': async (work) => {
    const files = await keepFiles(work);
    await publishInbound(work, files);
    return { files } as Partial<ChannelEventDoc>;
  },
  'button-press': async ({ adapter, event }) => {
    if (event.type === 'button-press') await adapter.acknowledgeButton?.(event);
    return {};
  },
};

const sweepEveryMs = 60_000;
const staleAfterMs = 2 * 60_000;

/**
 * Processes stored channel events: downloads files into GridFS (platform URLs expire), answers
 * callback buttons, marks the event processed. A sweeper re-queues events left `received` (Redis
 * flushed, enqueue lost), so nothing accepted is lost.
 */
export async function startChannelEventWorker(deps: ChannelEventWorkerDeps): Promise<void> {
  await deps.queues.schedule(queueNames.channelEvents, 'sweep-stale-events', {
    everyMs: sweepEveryMs,
    jobName: 'sweep',
  });
  deps.queues.worker(queueNames.channelEvents, async (job: Job) => {
    if (job.name === 'sweep') return sweep(deps);
    return processEvent(
      deps,
      String((job.data as { eventId?: unknown }).eventId),
      job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    );
  });
}

async function processEvent(
  deps: ChannelEventWorkerDeps,
  eventId: string,
  lastAttempt: boolean,
): Promise<{ state: string }> {
  const doc = (await deps.models.ChannelEvent.findById(eventId).lean().exec()) as StoredEvent | null;
  if (doc?.state !== 'received') return { state: doc?.state ?? 'missing' };
  const channel = await deps.runtime.lookup(String(doc.channelId));
  if (!channel) return finish(deps, eventId, { state: 'failed', error: 'the channel was removed' });
  const event = doc.event as NormalizedEvent;
  try {
    const handler = eventHandlers[event.type];
    const changes = handler
      ? await handler({ deps, doc, event, adapter: deps.runtime.adapterFor(channel) })
      : {};
    const files = (changes as { files?: FileEntry[] }).files ?? (doc.files as FileEntry[]);
    await notifyListeners(deps, doc, event, files, lastAttempt);
    return finish(deps, eventId, { ...changes, state: 'processed', processedAt: new Date() });
  } catch (error) {
    deps.logger.warn({ err: error, eventId, type: event.type }, 'channel event processing failed');
    if (!lastAttempt) throw error;
    return finish(deps, eventId, {
      state: 'failed',
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

async function notifyListeners(
  deps: ChannelEventWorkerDeps,
  doc: StoredEvent,
  event: NormalizedEvent,
  files: FileEntry[],
  lastAttempt: boolean,
): Promise<void> {
  const input = {
    channelId: String(doc.channelId),
    workspaceId: String(doc.workspaceId),
    eventId: String(doc._id),
    event,
    files: files.map((file) => ({ ...file, fileId: file.fileId === null ? null : String(file.fileId) })),
  };
  const outcomes: string[] = [];
  for (const listener of deps.listeners ?? []) outcomes.push(await listener(input));
  if (outcomes.includes('retry') && !outcomes.includes('claimed') && !lastAttempt)
    throw new Error(`event ${input.eventId} is not ready to apply yet`);
}

async function finish(
  deps: ChannelEventWorkerDeps,
  eventId: string,
  set: Partial<ChannelEventDoc>,
): Promise<{ state: string }> {
  await deps.models.ChannelEvent.updateOne({ _id: eventId }, { $set: set, $inc: { attempts: 1 } }).exec();
  return { state: String(set.state) };
}

/** Downloads every file attachment once; files over the limit or gone at the platform are recorded without content. */
async function keepFiles({ deps, doc, event, adapter }: EventWork): Promise<FileEntry[]> {
  if (event.type !== 'inbound-message') return [];
  const done = new Map((doc.files as FileEntry[]).map((entry) => [entry.index, entry]));
  const files: FileEntry[] = [];
  for (const [index, attachment] of event.attachments.entries()) {
    if (!('fileRef' in attachment)) continue;
    files.push(done.get(index) ?? (await keepFile(deps, doc, adapter, attachment, index)));
  }
  return files;
}

async function keepFile(
  deps: ChannelEventWorkerDeps,
  doc: StoredEvent,
  adapter: ChannelAdapter,
  attachment: Extract<InboundAttachment, { fileRef: string }>,
  index: number,
): Promise<FileEntry> {
  const entry = {
    index,
    fileId: null,
    size: attachment.size ?? 0,
    mimeType: attachment.mimeType ?? '',
    error: '',
  };
  if (!adapter.downloadAttachment) return { ...entry, error: 'the channel cannot download files' };
  const result = await adapter.downloadAttachment(attachment.fileRef, deps.attachmentMaxBytes);
  if (!result.ok && result.reason === 'failed')
    throw new Error(`attachment download failed: ${result.detail}`);
  if (!result.ok) return { ...entry, error: result.reason };
  const mimeType = attachment.mimeType ?? result.file.mimeType;
  const fileId = await deps.attachments.put(result.file.data, {
    workspaceId: String(doc.workspaceId),
    channelId: String(doc.channelId),
    eventId: String(doc._id),
    kind: attachment.kind,
    fileName: attachment.fileName ?? result.file.fileName ?? `${attachment.kind}-${index + 1}`,
    mimeType,
  });
  return { ...entry, fileId, size: result.file.data.length, mimeType };
}

/** `message.inbound` with an id derived from the stored event, so a re-processed event is published once. */
async function publishInbound({ deps, doc, event, adapter }: EventWork, files: FileEntry[]): Promise<void> {
  if (!deps.events || event.type !== 'inbound-message') return;
  const data = inboundMessageData({
    channelId: String(doc.channelId),
    channelType: adapter.kind,
    event,
    files,
    receivedAt: doc.createdAt,
  });
  await deps.events.publish(trustedWorkspaceId(String(doc.workspaceId)), 'message.inbound', data, {
    eventId: inboundMessageEventId(String(doc._id)),
  });
}

async function sweep(deps: ChannelEventWorkerDeps): Promise<{ requeued: number }> {
  const stale = await deps.models.ChannelEvent.find({
    state: 'received',
    createdAt: trusted({ $lt: new Date(Date.now() - staleAfterMs) }),
  })
    .select({ _id: 1 })
    .limit(1000)
    .lean()
    .exec();
  const queue = deps.queues.queue(queueNames.channelEvents);
  for (const doc of stale) await enqueueEvent(queue, String(doc._id));
  if (stale.length > 0) deps.logger.info({ requeued: stale.length }, 'stale channel events re-queued');
  return { requeued: stale.length };
}
