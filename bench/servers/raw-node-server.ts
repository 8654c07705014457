import http from 'node:http';

/** The ceiling: a bare `node:http` server answering `{"status":"ok"}` to every request. */
const body = JSON.stringify({ status: 'ok' });
const headers = {
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Length': String(Buffer.byteLength(body)),
};

const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
