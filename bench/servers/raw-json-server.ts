import { randomBytes } from 'node:crypto';
import http from 'node:http';

/**
 * The ceiling for `POST /v1/notifications`: a bare `node:http` server that reads the whole body,
 * parses it as JSON and answers 202 with an id, the shape Vestnik answers. No validation, no
 * storage, no queue: what any Node JSON POST endpoint pays on this machine.
 */
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const body = JSON.stringify({ id: randomBytes(12).toString('hex'), status: 'accepted' });
    res.writeHead(202, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
