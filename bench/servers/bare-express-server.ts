import express from 'express';

/** Express 5 with defaults and a single route: what any Express app pays before its own middleware. */
const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
