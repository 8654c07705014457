import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { generateEndpointSecret } from '../../../src/webhooks-out/endpoint-secret';
import { pinnedLookup, safeDelivery } from '../../../src/webhooks-out/safe-delivery';
import { signDelivery } from '../../../src/webhooks-out/sign-delivery';
import type { LookupAll } from '../../../src/webhooks-out/ssrf-guard';

/** What the receiving side saw, per path. */
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  verified: unknown;
}

const secret = generateEndpointSecret();
const payload = {
  type: 'message.inbound',
  timestamp: new Date().toISOString(),
  data: { text: 'Здравствуйте' },
};

describe('safeDelivery against a real loopback receiver', () => {
  let server: Server;
  let base: string;
  let port: number;
  const received: Received[] = [];
  let connections = 0;

  const routes: Record<string, (req: IncomingMessage, body: string, res: ServerResponse) => void> = {
    '/hook': (req, body, res) => {
      const verified = new Webhook(secret).verify(body, req.headers as Record<string, string>);
      received.push({ path: '/hook', headers: req.headers, body, verified });
      res.writeHead(204).end();
    },
    '/redirect': (_req, _body, res) => res.writeHead(302, { location: '/hook' }).end('moved'),
    '/busy': (_req, _body, res) => res.writeHead(503, { 'retry-after': '120' }).end('busy, come back later'),
    '/gone': (_req, _body, res) => res.writeHead(410).end(),
    '/big': (_req, _body, res) => res.writeHead(200).end('x'.repeat(200 * 1024)),
    '/silent': () => undefined,
    '/drip': (_req, _body, res) => res.writeHead(200).write('partial'),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const route = routes[req.url ?? ''];
        if (route) route(req, Buffer.concat(chunks).toString('utf8'), res);
        else res.writeHead(404).end();
      });
    });
    server.on('connection', () => {
      connections++;
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  beforeEach(() => {
    received.length = 0;
    connections = 0;
  });

  function signed(messageId = 'evt_1') {
    return signDelivery({ secret, messageId, timestamp: new Date(), payload });
  }

  it('POSTs the exact signed body, which the receiver verifies with the official library', async () => {
    const { headers, body } = signed('evt_verified');
    const result = await safeDelivery({ url: `${base}/hook`, headers, body, allowPrivate: true });
    expect(result).toMatchObject({ status: 204, retryAfter: null, bodySnippet: '' });
    expect(received).toHaveLength(1);
    expect(received[0]?.verified).toEqual(payload);
    expect(received[0]?.body).toBe(body);
    expect(received[0]?.headers).toMatchObject({
      'webhook-id': 'evt_verified',
      'webhook-timestamp': headers['webhook-timestamp'],
      'webhook-signature': headers['webhook-signature'],
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'Vestnik-Webhooks/1',
    });
    expect('durationMs' in result && result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('returns a redirect as it is and does not follow it', async () => {
    const { headers, body } = signed();
    const result = await safeDelivery({ url: `${base}/redirect`, headers, body, allowPrivate: true });
    expect(result).toMatchObject({ status: 302, bodySnippet: 'moved' });
    expect(received).toHaveLength(0);
  });

  it('reports status, Retry-After and the start of the body', async () => {
    const { headers, body } = signed();
    expect(await safeDelivery({ url: `${base}/busy`, headers, body, allowPrivate: true })).toMatchObject({
      status: 503,
      retryAfter: '120',
      bodySnippet: 'busy, come back later',
    });
    expect(await safeDelivery({ url: `${base}/gone`, headers, body, allowPrivate: true })).toMatchObject({
      status: 410,
    });
  });

  it('reads no more than the response limit', async () => {
    const { headers, body } = signed();
    const result = await safeDelivery({ url: `${base}/big`, headers, body, allowPrivate: true });
    expect(result).toMatchObject({ status: 200 });
    expect('bodySnippet' in result && result.bodySnippet).toHaveLength(64 * 1024);
    const small = await safeDelivery({
      url: `${base}/big`,
      headers,
      body,
      allowPrivate: true,
      maxResponseBytes: 10,
    });
    expect(small).toMatchObject({ status: 200, bodySnippet: 'xxxxxxxxxx' });
  });

  it('times out when the receiver never answers', async () => {
    const { headers, body } = signed();
    const startedAt = Date.now();
    const result = await safeDelivery({
      url: `${base}/silent`,
      headers,
      body,
      allowPrivate: true,
      timeoutMs: 200,
    });
    expect(result).toEqual({ error: 'timeout', detail: 'no complete answer within 200 ms' });
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('times out when the body never ends (the budget covers the whole answer)', async () => {
    const { headers, body } = signed();
    const result = await safeDelivery({
      url: `${base}/drip`,
      headers,
      body,
      allowPrivate: true,
      timeoutMs: 200,
    });
    expect(result).toMatchObject({ error: 'timeout' });
  });

  it('refuses a loopback target without allowPrivate, before connecting', async () => {
    const { headers, body } = signed();
    for (const url of [`${base}/hook`, `http://localhost:${port}/hook`, `https://127.0.0.1:${port}/hook`]) {
      expect(await safeDelivery({ url, headers, body, allowPrivate: false })).toMatchObject({
        error: 'refused-address',
      });
    }
    expect(connections).toBe(0);
  });

  it('refuses a public-looking name that resolves to loopback, before connecting', async () => {
    const { headers, body } = signed();
    const lookup: LookupAll = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await safeDelivery({
      url: `https://hooks.example.com:${port}/hook`,
      headers,
      body,
      allowPrivate: false,
      lookup,
    });
    expect(result).toMatchObject({ error: 'refused-address' });
    expect(connections).toBe(0);
  });

  it('connects to the checked address only: the socket never resolves the name again', async () => {
    const { headers, body } = signed();
    const queried: string[] = [];
    const lookup: LookupAll = async (hostname) => {
      queried.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const url = `http://hooks.vestnik-test.invalid:${port}/hook`;
    const result = await safeDelivery({ url, headers, body, allowPrivate: true, lookup });
    expect(result).toMatchObject({ status: 204 });
    expect(queried).toEqual(['hooks.vestnik-test.invalid']);
    expect(received[0]?.headers.host).toBe(`hooks.vestnik-test.invalid:${port}`);
  });

  it('reports network errors and DNS failures as network', async () => {
    const { headers, body } = signed();
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const refused = await safeDelivery({
      url: `http://127.0.0.1:${closedPort}/`,
      headers,
      body,
      allowPrivate: true,
    });
    expect(refused).toMatchObject({ error: 'network', detail: expect.stringContaining('ECONNREFUSED') });
    const lookup: LookupAll = async () => {
      throw new Error('getaddrinfo ENOTFOUND nowhere.example.com');
    };
    const unresolved = await safeDelivery({
      url: 'https://nowhere.example.com/',
      headers,
      body,
      allowPrivate: false,
      lookup,
    });
    expect(unresolved).toMatchObject({ error: 'network', detail: expect.stringContaining('ENOTFOUND') });
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup({ address: '203.0.113.7', family: 4 });

  it('answers a single-address query with the pinned address', () => {
    const callback = jest.fn();
    lookup('anything.example.com', {}, callback);
    expect(callback).toHaveBeenCalledWith(null, '203.0.113.7', 4);
  });

  it('answers an all-addresses query (autoSelectFamily) with the pinned address only', () => {
    const callback = jest.fn();
    lookup('anything.example.com', { all: true }, callback);
    expect(callback).toHaveBeenCalledWith(null, [{ address: '203.0.113.7', family: 4 }]);
  });
});
