import http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

/**
 * The ceiling for `npm run bench -- inbox`: a bare socket.io server whose sockets all join one
 * room, and `POST /emit` that emits the request's JSON body to that room — HTTP in, one emit to
 * every operator socket out, nothing else. With BENCH_REDIS_ADAPTER=1 it goes through
 * @socket.io/redis-adapter like Vestnik does (the emit is published to Redis and fanned out by
 * the adapter's subscription).
 */
const withRedis = process.env.BENCH_REDIS_ADAPTER === '1';
const server = http.createServer();
const io = new Server(server, { serveClient: false });
if (withRedis) {
  const pub = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const sub = pub.duplicate();
  io.adapter(createAdapter(pub, sub, { key: `bench-bare-${process.pid}` }));
}
io.on('connection', (socket) => {
  void socket.join('ws');
});
server.on('request', (req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') return;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    io.to('ws').emit('inbox', JSON.parse(Buffer.concat(chunks).toString('utf8')));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
