import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { trusted } from 'mongoose';
import { createApiKey } from '../../src/auth/api-keys';
import { createLogger } from '../../src/logging/logger';
import { connectRedis } from '../../src/queue/redis-connection';
import { createUserInput, type VirtualUser } from '../../src/sandbox/virtual-users';
import { createModels, type Models } from '../../src/storage/models';
import { connectMongo } from '../../src/storage/mongo-connection';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually, startTestSandbox, type TestSandbox } from '../contract/helpers/sandbox-control';
import { phoneSequence, tally } from '../helpers/notification-paths';
import { deleteKeys, testMongoUri, uniqueName } from '../helpers/test-stack';
import { spawnVestnik, type VestnikProcess } from '../helpers/vestnik-process';

/**
 * A worker killed with SIGKILL in the middle of a batch, with the real CLI: one `serve` process
 * (the API, webhooks) and `worker` processes against the test database and Redis, the sandbox in
 * this process. Nothing accepted is lost: another worker takes the dead one's jobs once their locks
 * expire (JOB_LOCK_MS, 3 s here) and finishes every notification. A VK message whose send was cut
 * off is sent again with the same `random_id` (SHA-256 of the attempt id), which VK dedupes, so each
 * VK user gets it once. SMPP has no idempotency key: an SMS cut off after the SMSC took it may
 * arrive twice — only for attempts that were resent.
 */
const name = uniqueName('ntf-crash');
const prefix = name.replaceAll('_', '-');
const env: Record<string, string> = {
  MONGODB_URI: testMongoUri(),
  MONGODB_DB: name,
  QUEUE_PREFIX: prefix,
  PORT: '0',
  SECRETS_KEY: randomBytes(32).toString('base64'),
  JOB_LOCK_MS: '3000',
};
const nextPhone = phoneSequence('500');
const params = { order: '5150', track: 'RE555' };

let sandbox: TestSandbox;
let api: VestnikProcess;
let url: string;
let mongo: Connection;
let models: Models;
let apiKey: string;
const processes: VestnikProcess[] = [];
const channels: Record<string, string> = {};

async function call(method: string, path: string, body?: unknown, key = apiKey) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function addChannel(type: string, config: Record<string, unknown>) {
  const res = await call('POST', '/v1/channels', { type, name: `Crash ${type}`, config });
  if (res.status !== 201) throw new Error(`channel ${type}: ${res.status} ${JSON.stringify(res.body)}`);
  channels[type] = String(res.body.id);
}

function start(role: 'serve' | 'worker'): VestnikProcess {
  const proc = spawnVestnik([role], env);
  processes.push(proc);
  return proc;
}

beforeAll(async () => {
  sandbox = await startTestSandbox('ntf-crash');
  api = start('serve');
  url = await api.ready();
  mongo = await connectMongo({ uri: testMongoUri(), dbName: name });
  models = await createModels(mongo);
  const shop = await createWorkspace(models, { name: 'Crash shop' });
  apiKey = shop.apiKey;
  const moderator = await createApiKey(models, trustedWorkspaceId(shop.workspaceId), {
    name: 'mod',
    scopes: ['templates:moderate'],
  });
  const vk = await sandbox.control.createAccount<Record<string, unknown>>('vk', { name: 'Crash shop' });
  await addChannel('vk', {
    groupId: vk.groupId,
    accessToken: vk.accessToken,
    confirmationCode: vk.confirmationCode,
    secretKey: randomBytes(12).toString('hex'),
    apiBaseUrl: vk.apiBaseUrl,
  });
  const sms = await sandbox.control.createAccount<Record<string, unknown>>('sms');
  await addChannel('sms', {
    host: sms.host,
    port: sms.port,
    systemId: sms.systemId,
    password: sms.password,
    sourceAddr: 'Vestnik',
  });
  const template = await call('POST', '/v1/templates', {
    name: 'order_shipped',
    body: 'Заказ №#order# передан в доставку. Трек: #track#, статус — в приложении.',
    category: 'transactional',
    channels: ['vk', 'sms'],
    submit: true,
  });
  const approved = await call('POST', `/v1/templates/${template.body.id}/approve`, {}, moderator.key);
  if (approved.status !== 200)
    throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(
    processes.filter((proc) => proc.child.exitCode === null).map((proc) => proc.stop('SIGTERM')),
  );
  await sandbox?.close();
  await mongo?.dropDatabase();
  await mongo?.close();
  const redis = await connectRedis('redis://127.0.0.1:6379', createLogger({ level: 'silent' }));
  await deleteKeys(redis, `${prefix}*`);
  await redis.quit();
});

const newUser = (accounts: Record<string, true>): VirtualUser =>
  sandbox.sandbox.context.users.create(createUserInput.parse({ phone: nextPhone(), accounts }));

/** Statuses of the notifications and their attempts, counted. */
async function whereAre(ids: string[]): Promise<string> {
  const notifications = await models.Notification.find({ _id: trusted({ $in: ids }) })
    .lean()
    .exec();
  const attempts = await models.NotificationAttempt.find({ notificationId: trusted({ $in: ids }) })
    .lean()
    .exec();
  const stuck = notifications.filter((doc) => doc.status === 'queued' || doc.status === 'accepted');
  return JSON.stringify({
    stuck: stuck.map((doc) => ({
      status: doc.status,
      times: doc.statusTimes,
      updatedAt: doc.updatedAt,
      attempts: attempts
        .filter((attempt) => String(attempt.notificationId) === String(doc._id))
        .map((attempt) => ({
          history: attempt.history,
          tries: attempt.sendTries,
          updatedAt: attempt.updatedAt,
        })),
    })),
    notifications: tally(notifications.map((doc) => doc.status)),
    attempts: tally(attempts.map((doc) => `${doc.channelType}:${doc.status}:${doc.sendTries}`)),
  });
}

describe('a worker killed with SIGKILL mid-batch', () => {
  it('loses nothing; each VK user gets the message once; SMS only repeats for resent attempts', async () => {
    const vkUsers = Array.from({ length: 60 }, () => newUser({ vk: true }));
    const smsUsers = Array.from({ length: 60 }, () => newUser({}));
    // Slow platforms keep sends in flight when the worker dies.
    await sandbox.control.addFault({ platform: 'vk', kind: 'latency', ms: 250 });
    await sandbox.control.addFault({ platform: 'sms', kind: 'latency', ms: 250 });
    const first = start('worker');
    await first.ready();
    // VK and SMS alternate, so sends of both are in flight when the worker dies.
    const items = vkUsers.flatMap((vkUser, index) => [
      {
        to: { channel: channels.vk, externalUserId: vkUser.accounts.vk?.id },
        template: { name: 'order_shipped', params },
        route: [{ channel: 'vk', ttl: '1h' }],
      },
      {
        to: { phone: smsUsers[index]?.phone },
        template: { name: 'order_shipped', params },
        route: [{ channel: 'sms', ttl: '1h' }],
      },
    ]);
    const batch = await call('POST', '/v1/notifications/batch', { items });
    expect(batch.body).toMatchObject({ accepted: 120, rejected: 0 });
    const ids = (batch.body.items as Array<{ id: string }>).map((item) => item.id);
    const settled = () =>
      models.NotificationAttempt.countDocuments({
        notificationId: trusted({ $in: ids }),
        status: trusted({ $in: ['sent', 'delivered'] }),
      }).exec();
    await eventually(async () => ((await settled()) >= 15 ? true : undefined), '15 sends', 20_000);

    expect((await first.stop('SIGKILL')).code).toBeNull();
    const atKill = {
      settled: await settled(),
      inFlight: await models.NotificationAttempt.countDocuments({
        notificationId: trusted({ $in: ids }),
        status: 'sending',
      }).exec(),
    };
    expect(atKill.settled).toBeLessThan(120);
    expect(atKill.inFlight).toBeGreaterThan(0);

    await sandbox.control.clearFaults();
    await start('worker').ready();
    await eventually(
      async () => {
        const done = await models.Notification.countDocuments({
          _id: trusted({ $in: ids }),
          status: trusted({ $in: ['sent', 'delivered'] }),
        }).exec();
        return done === 120 ? true : undefined;
      },
      'all 120 sent or delivered after the restart',
      // The worker also writes each recipient's inbox record and ingests the delivery reports on the
      // same embedded database (one SQLite writer), so the restart's backlog takes longer to clear.
      90_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${await whereAre(ids)}\n${processes.at(-1)?.stderr().slice(-3000)}`);
    });

    const attempts = await models.NotificationAttempt.find({ notificationId: trusted({ $in: ids }) })
      .lean()
      .exec();
    expect(attempts).toHaveLength(120);
    const resent = attempts.filter((attempt) => (attempt.sendTries ?? 0) > 1);
    expect(resent.length).toBeGreaterThan(0);

    // VK: exactly one message per user, and every try of a send carried one random_id.
    expect(vkUsers.map((user) => user.received.filter((m) => m.platform === 'vk').length)).toEqual(
      vkUsers.map(() => 1),
    );
    const sends = (await sandbox.control.requests('vk')).filter((r) => r.path.endsWith('messages.send'));
    const randomIds = new Map<string, Set<string>>();
    for (const send of sends) {
      const body = send.body as Record<string, string>;
      const peer = String(body.peer_id ?? body.user_id);
      randomIds.set(peer, (randomIds.get(peer) ?? new Set()).add(String(body.random_id)));
    }
    expect([...randomIds.values()].filter((set) => set.size !== 1)).toEqual([]);
    expect(sends.length).toBeGreaterThanOrEqual(60);

    // SMS: everyone got it; a second copy only where the attempt was resent after the crash.
    const resentPhones = new Set(
      resent.flatMap((attempt) => {
        const recipient = attempt.recipient as { phone?: string } | null;
        return recipient?.phone ? [recipient.phone] : [];
      }),
    );
    for (const user of smsUsers) {
      const count = user.received.filter((m) => m.platform === 'sms').length;
      expect({ phone: user.phone, count: count >= 1 }).toEqual({ phone: user.phone, count: true });
      if (count > 1) expect(resentPhones.has(user.phone)).toBe(true);
    }
  }, 180_000);

  it('refuses a private callbackUrl when the API runs against an external database (no WEBHOOKS_ALLOW_PRIVATE)', async () => {
    const user = newUser({});
    for (const callbackUrl of ['http://127.0.0.1:9/hook', 'http://10.0.0.7/hook', 'http://[::1]/hook']) {
      const res = await call('POST', '/v1/notifications', {
        to: { phone: user.phone },
        template: { name: 'order_shipped', params },
        route: [{ channel: 'sms', ttl: '1h' }],
        callbackUrl,
      });
      expect({ callbackUrl, status: res.status, code: res.body.code }).toEqual({
        callbackUrl,
        status: 422,
        code: 'webhook_endpoint.url_refused',
      });
    }
  });
});
