import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectSocket, type Socket } from 'socket.io-client';
import request from 'supertest';
import { subscribeRevocations } from '../../src/auth/credential-revocations';
import { startHousekeeping } from '../../src/housekeeping/housekeeping-worker';
import { createHttpMetrics } from '../../src/http/http-metrics';
import { createQueueFactory, queueNames } from '../../src/queue/queues';
import { createSocketGateway, rooms, type SocketGateway } from '../../src/realtime/socket-gateway';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { createTestStack, type TestStack } from '../helpers/test-stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack('realtime');
});
afterAll(() => stack.close());

describe('socket.io gateway', () => {
  let server: Server;
  let gateway: SocketGateway;
  let url: string;
  let unsubscribe: () => Promise<void>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer(stack.app);
    gateway = createSocketGateway(server, {
      redis: stack.redis,
      auth: stack.auth,
      logger: stack.logger,
      keyPrefix: stack.config.QUEUE_PREFIX,
      trustProxy: 0,
    });
    // As run-service wires it: every revocation announced on Redis closes this node's sockets.
    unsubscribe = await subscribeRevocations(stack.redis, stack.config.QUEUE_PREFIX, (id) =>
      gateway.dropCredential(id),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await unsubscribe();
    await gateway.close();
  });

  function connect(auth: Record<string, string>): Socket {
    const socket = connectSocket(url, { auth, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return socket;
  }

  it('authenticates an operator session and delivers workspace events to it', async () => {
    const ws = await createWorkspace(stack.models, { name: 'Live' });
    const login = await request(stack.app).post('/v1/auth/login').send(ws.admin).expect(201);
    const socket = connect({ token: login.body.token });
    const session = await new Promise<Record<string, string>>((resolve, reject) => {
      socket.once('session', resolve);
      socket.once('connect_error', reject);
    });
    expect(session).toMatchObject({ workspaceId: ws.workspaceId, kind: 'operator', role: 'admin' });
    const received = new Promise((resolve) => socket.once('ping:test', resolve));
    gateway.io.to(rooms.workspace(ws.workspaceId)).emit('ping:test', { n: 1 });
    await expect(received).resolves.toEqual({ n: 1 });
  });

  it('closes an operator socket when the session logs out', async () => {
    const ws = await createWorkspace(stack.models, { name: 'Logout' });
    const login = await request(stack.app).post('/v1/auth/login').send(ws.admin).expect(201);
    const socket = connect({ token: login.body.token });
    await new Promise((resolve) => socket.once('session', resolve));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await request(stack.app)
      .post('/v1/auth/logout')
      .set('Authorization', `Bearer ${login.body.token}`)
      .expect(204);
    await expect(closed).resolves.toBe('io server disconnect');
  });

  it('closes sockets of a revoked API key, and only those', async () => {
    const ws = await createWorkspace(stack.models, { name: 'Revoked' });
    const extra = await request(stack.app)
      .post('/v1/api-keys')
      .set('Authorization', `Bearer ${ws.apiKey}`)
      .send({ name: 'integration', scopes: ['inbox:read'] })
      .expect(201);
    const doomed = connect({ token: extra.body.key });
    const survivor = connect({ token: ws.apiKey });
    await Promise.all([doomed, survivor].map((s) => new Promise((resolve) => s.once('session', resolve))));
    const closed = new Promise<string>((resolve) => doomed.once('disconnect', resolve));
    await request(stack.app)
      .delete(`/v1/api-keys/${extra.body.id}`)
      .set('Authorization', `Bearer ${ws.apiKey}`)
      .expect(200);
    await expect(closed).resolves.toBe('io server disconnect');
    expect(survivor.connected).toBe(true);
  });

  it('refuses a connection without valid credentials, naming the error code', async () => {
    const socket = connect({ token: 'vss_not-a-real-session-token-at-all-000000000' });
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    expect(error.data?.code).toBe('auth.credentials_invalid');
  });
});

describe('housekeeping worker (BullMQ)', () => {
  it('purges expired sessions through the real queue', async () => {
    const ws = await createWorkspace(stack.models, { name: 'Sweep' });
    await request(stack.app).post('/v1/auth/login').send(ws.admin).expect(201);
    const live = await request(stack.app).post('/v1/auth/login').send(ws.admin).expect(201);

    const queues = createQueueFactory(stack.redis, {
      prefix: stack.config.QUEUE_PREFIX,
      concurrency: 2,
      logger: stack.logger,
    });
    try {
      await startHousekeeping(queues, stack.models, stack.logger);
      const queue = queues.queue(queueNames.housekeeping);
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain('purge-expired-sessions');
      await waitForIdle(queue); // the schedule's first run happens at once
      const [first] = await stack.models.Session.find({ workspaceId: ws.workspaceId })
        .sort({ _id: 1 })
        .lean();
      await stack.models.Session.updateOne(
        { _id: first?._id },
        { $set: { expiresAt: new Date(Date.now() - 1) } },
      );
      const job = await queue.add('purge-expired-sessions', {});
      const done = await waitForJob(queue, job.id ?? '');
      expect(done).toEqual({ deleted: 1 });
      expect(await stack.models.Session.countDocuments({ workspaceId: ws.workspaceId })).toBe(1);
      await request(stack.app)
        .get('/v1/workspace')
        .set('Authorization', `Bearer ${live.body.token}`)
        .expect(200);
    } finally {
      await queues.close(1000);
    }
  });
});

describe('metrics registry', () => {
  it('is one per app (no global state between instances)', () => {
    expect(createHttpMetrics().registry).not.toBe(createHttpMetrics().registry);
  });
});

async function waitForIdle(queue: ReturnType<ReturnType<typeof createQueueFactory>['queue']>) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const counts = await queue.getJobCounts('active', 'wait', 'completed');
    if (counts.active === 0 && counts.wait === 0 && (counts.completed ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('queue did not become idle');
}

async function waitForJob(queue: ReturnType<ReturnType<typeof createQueueFactory>['queue']>, id: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const job = await queue.getJob(id);
    if (job && (await job.isCompleted())) return job.returnvalue;
    if (job && (await job.isFailed())) throw new Error(job.failedReason);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not complete`);
}
