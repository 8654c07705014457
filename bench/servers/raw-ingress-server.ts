import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mongo } from 'mongoose';

/**
 * The ceiling for the webhook ingress: the same work with no framework — read the body, check the
 * HMAC-SHA256 signature in constant time, parse, insert under a unique index into the same
 * database (raw driver), add a BullMQ job with a deterministic id, answer 200. Vestnik's
 * `vestnik-webhook` target is measured against this, so the ratio shows what Vestnik adds, not
 * what the storage costs.
 */
const secret = process.env.BENCH_WEBHOOK_SECRET ?? '';
const client = new mongo.MongoClient(process.env.BENCH_MONGODB_URI ?? '');
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queue = new Queue('raw-ingress', {
  connection: redis,
  prefix: process.env.BENCH_QUEUE_PREFIX ?? 'bench-raw',
});
const events = client.db('vestnik').collection('raw_ingress_events');

async function handle(body: Buffer, signature: string): Promise<number> {
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 401;
  const text = body.toString('utf8');
  const payload = JSON.parse(text) as object;
  // message_token is 64-bit: read it from the text, as Vestnik does, not from the rounded number.
  const eventKey = /"message_token":(\d+)/.exec(text)?.[1] ?? '';
  const inserted = await events.insertOne({ channelId: 1, eventKey, event: payload });
  await queue.add(
    'process-event',
    { eventId: String(inserted.insertedId) },
    { jobId: `event-${String(inserted.insertedId)}` },
  );
  return 200;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    handle(Buffer.concat(chunks), String(req.headers['x-viber-content-signature'] ?? ''))
      .then((status) => res.writeHead(status).end())
      .catch((error: unknown) => {
        process.stderr.write(`raw-ingress: ${String(error)}\n`);
        res.writeHead(500).end();
      });
  });
});

void (async () => {
  await client.connect();
  await events.createIndex({ channelId: 1, eventKey: 1 }, { unique: true });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no address');
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  });
})();
