import { setTimeout as sleep } from 'node:timers/promises';
import { mongo, Types } from 'mongoose';

/** What (b) reads of a notification: its status and when each status was first reached, as Vestnik stored them. */
export interface StoredTimes {
  status: string;
  statusTimes: Record<string, Date>;
}

const finalStatuses = ['delivered', 'read', 'undelivered', 'expired'];

/**
 * Reads the notifications straight from Vestnik's database (the embedded FerretDB it started).
 * Not through `GET /v1/notifications`: paging 4000 notifications through the API costs the server
 * far more than one read, and the reads would land on the server while it is being measured.
 */
export async function readStoredTimes(
  mongoUri: string,
  ids: readonly string[],
): Promise<Map<string, StoredTimes>> {
  const client = new mongo.MongoClient(mongoUri);
  try {
    await client.connect();
    const docs = await client
      .db('vestnik')
      .collection('notifications')
      .find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })
      .project<{ _id: Types.ObjectId } & StoredTimes>({ status: 1, statusTimes: 1 })
      .toArray();
    return new Map(
      docs.map((doc) => [String(doc._id), { status: doc.status, statusTimes: doc.statusTimes ?? {} }]),
    );
  } finally {
    await client.close();
  }
}

/**
 * Waits until every id has a final status, or `timeoutMs` passes (a server that cannot keep up
 * would otherwise keep the benchmark waiting for hours); returns what was stored by then.
 */
export async function waitUntilSettled(
  mongoUri: string,
  ids: readonly string[],
  timeoutMs: number,
): Promise<{ views: Map<string, StoredTimes>; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const views = await readStoredTimes(mongoUri, ids);
    const open = ids.filter((id) => !finalStatuses.includes(views.get(id)?.status ?? ''));
    if (open.length === 0 || Date.now() - started > timeoutMs)
      return { views, waitedMs: Date.now() - started };
    await sleep(5000);
  }
}
