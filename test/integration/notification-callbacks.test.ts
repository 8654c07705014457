import { trusted } from 'mongoose';
import request from 'supertest';
import { expireAttempt } from '../../src/notifications/attempt-events';
import { runStep } from '../../src/notifications/step-runner';
import { createUserInput } from '../../src/sandbox/virtual-users';
import { eventually } from '../contract/helpers/sandbox-control';
import {
  bearer,
  getNotification,
  type NotificationFixture,
  passTtl,
  sendNotification,
  startNotificationFixture,
  waitForStatus,
} from '../helpers/notification-fixture';
import {
  eventsSettled,
  type GatewayChannel,
  gatewayCallback,
  gatewayChannel,
  orderShippedTemplate,
  phoneSequence,
  platformApproved,
  sandboxPerson,
  sentAttempt,
  statusesOf,
  tally,
  timelineOf,
} from '../helpers/notification-paths';
import { deleteKeys } from '../helpers/test-stack';

/**
 * Platform callbacks that come twice, late or out of order never move a status back, and a step's
 * fallback starts once however many callbacks, TTL timers, sweeps and step jobs race for it.
 * Gateway callbacks are signed with the channel's own callback secret and POSTed to its webhook
 * URL (the real ingress → event store → channel-event worker path); SMS, WhatsApp and gateway
 * callbacks are also duplicated by the sandbox itself (`duplicate-callbacks`).
 */
let fx: NotificationFixture;
let gateway: GatewayChannel;
let templateId: string;
const nextPhone = phoneSequence('300');
const params = { order: '3091', track: 'RC789' };

beforeAll(async () => {
  fx = await startNotificationFixture('ntf-callbacks');
  gateway = await gatewayChannel(fx, 'Replay gateway');
  templateId = await orderShippedTemplate(fx);
  await platformApproved(fx, templateId, [
    gateway.id,
    fx.channels['vk-notify'] ?? '',
    fx.channels.whatsapp ?? '',
  ]);
}, 60_000);
afterEach(() => fx.sandbox.control.clearFaults());
afterAll(() => fx.close());

/**
 * A person offline for 3 h: with a 1 h TTL the gateway holds the notification and reports nothing
 * after `sent`, so every later status comes from the test's own signed callbacks.
 */
const offlinePerson = () => sandboxPerson(fx, { phone: nextPhone(), lastSeenMinutesAgo: 180 });

const viaGateway = (contactId: string, fallback = false) =>
  sendNotification(fx, {
    to: { contactId },
    template: { id: templateId, params },
    route: [{ channel: gateway.id, ttl: '1h' }, ...(fallback ? [{ channel: 'sms', ttl: '1h' }] : [])],
  });

const smsSubmitsTo = async (phone: string) =>
  (await fx.sandbox.control.requests('sms')).filter((r) => r.path === phone.slice(1)).length;

describe('out-of-order and late gateway callbacks', () => {
  it('read before delivered: read, with delivered recorded once; the late delivered changes nothing', async () => {
    const { contactId } = await offlinePerson();
    const id = await viaGateway(contactId);
    const { externalId } = await sentAttempt(fx, id);
    expect(await gatewayCallback(gateway, externalId, 'read')).toBe(200);
    await waitForStatus(fx, id, 'read');
    expect(await gatewayCallback(gateway, externalId, 'delivered')).toBe(200);
    await eventsSettled(fx);
    const done = await getNotification(fx, id);
    expect(done.status).toBe('read');
    expect(timelineOf(done)).toEqual(['queued', 'sent', 'delivered', 'read']);
    expect(done.billable).toBe(true);
  });

  it('delivered five times at once (same event, different timestamps): one delivered', async () => {
    const { contactId } = await offlinePerson();
    const id = await viaGateway(contactId);
    const { externalId } = await sentAttempt(fx, id);
    const statuses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        gatewayCallback(gateway, externalId, 'delivered', { at: new Date(Date.now() + i) }),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await waitForStatus(fx, id, 'delivered');
    await eventsSettled(fx);
    expect(timelineOf(await getNotification(fx, id))).toEqual(['queued', 'sent', 'delivered']);
    const stored = await fx.stack.models.ChannelEvent.countDocuments({
      channelId: gateway.id,
      'event.externalMessageId': externalId,
      'event.status': 'delivered',
    }).exec();
    expect(stored).toBe(1);
  });

  it('undelivered and expired after delivered: stays delivered, no fallback', async () => {
    const { user, contactId } = await offlinePerson();
    const id = await viaGateway(contactId, true);
    const { externalId } = await sentAttempt(fx, id);
    await gatewayCallback(gateway, externalId, 'delivered');
    await waitForStatus(fx, id, 'delivered');
    await gatewayCallback(gateway, externalId, 'undelivered', { reason: 'blocked' });
    await gatewayCallback(gateway, externalId, 'expired', { reason: 'ttl_expired' });
    await eventsSettled(fx);
    await passTtl(fx, id, 0);
    const done = await getNotification(fx, id);
    expect(statusesOf(done)).toEqual([['vk-notify', 'delivered', null]]);
    expect(timelineOf(done)).toEqual(['queued', 'sent', 'delivered']);
    expect(done.billable).toBe(true);
    expect(await fx.sandbox.control.received(user.id, 'sms')).toEqual([]);
  });

  it('delivered and read after our TTL expired it (late): stays expired; SMS delivers once', async () => {
    const { user, contactId } = await offlinePerson();
    const id = await viaGateway(contactId, true);
    const { externalId } = await sentAttempt(fx, id);
    await passTtl(fx, id, 0);
    await waitForStatus(fx, id, 'delivered');
    await gatewayCallback(gateway, externalId, 'delivered');
    await gatewayCallback(gateway, externalId, 'read');
    await gatewayCallback(gateway, externalId, 'undelivered', { reason: 'inactive' });
    await eventsSettled(fx);
    const done = await getNotification(fx, id);
    expect(statusesOf(done)).toEqual([
      ['vk-notify', 'expired', 'ttl'],
      ['sms', 'delivered', null],
    ]);
    expect(timelineOf(done, 0)).toEqual(['queued', 'sent', 'expired']);
    expect(await fx.sandbox.control.received(user.id, 'sms')).toHaveLength(1);
    expect(await smsSubmitsTo(user.phone)).toBe(1);
  });

  it('a refused gateway signature is not applied', async () => {
    const { contactId } = await offlinePerson();
    const id = await viaGateway(contactId);
    const { externalId } = await sentAttempt(fx, id);
    const forged = { ...gateway, callbackSecret: 'not-the-secret-0123456789' };
    expect(await gatewayCallback(forged, externalId, 'delivered')).toBe(401);
    await eventsSettled(fx);
    expect((await getNotification(fx, id)).status).toBe('sent');
  });
});

describe('a worker that died between the attempt’s write and the notification’s', () => {
  /** The attempt went out (`sent`), but the notification was left behind at `queued`. */
  async function leftBehind() {
    const { contactId } = await offlinePerson();
    const id = await viaGateway(contactId);
    await sentAttempt(fx, id);
    await waitForStatus(fx, id, 'sent');
    await fx.stack.models.Notification.updateOne(
      { _id: id },
      { $set: { status: 'queued', updatedAt: new Date(Date.now() - 60_000) } },
      { timestamps: false },
    ).exec();
    return id;
  }

  it('the rerun of its step job brings the notification to sent', async () => {
    const id = await leftBehind();
    expect(await runStep(fx.stack.notifications.context, id, 0, false)).toBe('done');
    expect((await getNotification(fx, id)).status).toBe('sent');
  });

  it('the sweeper brings the notification to sent', async () => {
    const id = await leftBehind();
    await fx.stack.notifications.sweep(0);
    expect((await getNotification(fx, id)).status).toBe('sent');
  });
});

describe('callbacks the sandbox duplicates', () => {
  it('SMS: every receipt five times → delivered once', async () => {
    const phone = nextPhone();
    const { user, contactId } = await sandboxPerson(fx, { phone });
    await fx.sandbox.control.addFault({ platform: 'sms', kind: 'duplicate-callbacks', times: 5, count: 1 });
    const id = await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [{ channel: 'sms', ttl: '1h' }],
    });
    await waitForStatus(fx, id, 'delivered');
    await eventsSettled(fx);
    expect(timelineOf(await getNotification(fx, id))).toEqual(['queued', 'sent', 'delivered']);
    expect(await fx.sandbox.control.received(user.id, 'sms')).toHaveLength(1);
  });

  it('WhatsApp: sent, delivered and read webhooks five times each → read once, in order', async () => {
    const { user, contactId } = await sandboxPerson(fx, { phone: nextPhone() });
    await fx.sandbox.control.addFault({ platform: 'whatsapp', kind: 'duplicate-callbacks', times: 5 });
    const id = await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [{ channel: 'whatsapp', ttl: '1h' }],
    });
    await waitForStatus(fx, id, 'delivered');
    await fx.sandbox.control.read(user.id, { platform: 'whatsapp' });
    await waitForStatus(fx, id, 'read');
    await eventsSettled(fx);
    expect(timelineOf(await getNotification(fx, id))).toEqual(['queued', 'sent', 'delivered', 'read']);
  });

  it('gateway: undelivered five times on a route with SMS → one SMS attempt, one SMS', async () => {
    const { user, contactId } = await sandboxPerson(fx, {
      phone: nextPhone(),
      lastSeenMinutesAgo: 8 * 24 * 60,
    });
    await fx.sandbox.control.addFault({ platform: 'notify', kind: 'duplicate-callbacks', times: 5 });
    const id = await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [
        { channel: 'vk-notify', ttl: '1h' },
        { channel: 'sms', ttl: '1h' },
      ],
    });
    const done = await waitForStatus(fx, id, 'delivered');
    await eventsSettled(fx);
    expect(statusesOf(done)).toEqual([
      ['vk-notify', 'undelivered', 'inactive'],
      ['sms', 'delivered', null],
    ]);
    expect(await fx.sandbox.control.received(user.id, 'sms')).toHaveLength(1);
    expect(await smsSubmitsTo(user.phone)).toBe(1);
  });
});

describe('the fallback fires once under concurrency', () => {
  it('TTL expiry (timer, sweeper) and undelivered callbacks at the same moment, 6 rounds → one SMS each', async () => {
    const ctx = fx.stack.notifications.context;
    for (let round = 0; round < 6; round += 1) {
      const { user, contactId } = await offlinePerson();
      const id = await viaGateway(contactId, true);
      const { externalId, attempt } = await sentAttempt(fx, id);
      const attemptDoc = await fx.stack.models.NotificationAttempt.findOne({ notificationId: id, step: 0 })
        .lean()
        .exec();
      await fx.stack.models.NotificationAttempt.updateOne(
        { notificationId: id, step: 0 },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      ).exec();
      await Promise.all([
        expireAttempt(ctx, id, String(attemptDoc?._id)),
        expireAttempt(ctx, id, String(attemptDoc?._id)),
        fx.stack.notifications.sweep(0),
        fx.stack.notifications.sweep(0),
        gatewayCallback(gateway, externalId, 'undelivered', { reason: 'blocked' }),
        gatewayCallback(gateway, externalId, 'expired', { reason: 'ttl_expired' }),
        fx.stack.notifications.handleChannelEvent(gateway.id, {
          type: 'status-update',
          eventKey: `${externalId}:undelivered:direct`,
          externalMessageId: externalId,
          status: 'undelivered',
          occurredAt: new Date(),
        }),
      ]);
      // Step jobs for the fallback run twice more by hand while the worker runs its own.
      await Promise.all([runStep(ctx, id, 1, false), runStep(ctx, id, 1, false)]);
      const done = await waitForStatus(fx, id, 'delivered');
      await eventsSettled(fx);
      expect(done.attempts).toHaveLength(2);
      expect(done.attempts[0]?.status).toMatch(/^(expired|undelivered)$/);
      expect(done.attempts[0]?.externalMessageId).toBe(attempt.externalMessageId);
      expect(statusesOf(done)[1]).toEqual(['sms', 'delivered', null]);
      expect(await fx.sandbox.control.received(user.id, 'sms')).toHaveLength(1);
      expect(await smsSubmitsTo(user.phone)).toBe(1);
      const attempts = await fx.stack.models.NotificationAttempt.countDocuments({
        notificationId: id,
        step: trusted({ $gte: 1 }),
      }).exec();
      expect(attempts).toBe(1);
    }
  }, 60_000);
});

/** Where the notifications of a batch are: statuses, attempt statuses, and their jobs in Redis. */
async function batchSummary(ids: string[]): Promise<string> {
  const notifications = await fx.stack.models.Notification.find({ _id: trusted({ $in: ids }) })
    .lean()
    .exec();
  const attempts = await fx.stack.models.NotificationAttempt.find({ notificationId: trusted({ $in: ids }) })
    .lean()
    .exec();
  const queue = fx.stack.notifications.context.queue;
  const jobs = await queue.getJobCounts();
  const logs = tally(
    fx.stack.logLines
      .filter((line) => /"level":(40|50)/.test(line))
      .map((line) => {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        return `${entry.msg}: ${(entry.err?.message ?? '').replace(/[0-9a-f]{24}/g, '<id>')}`;
      }),
  );
  return JSON.stringify({
    stuck: notifications
      .filter((doc) => doc.status !== 'delivered')
      .slice(0, 3)
      .map((doc) => ({ status: doc.status, statusTimes: doc.statusTimes, updatedAt: doc.updatedAt })),
    notifications: tally(notifications.map((doc) => doc.status)),
    attempts: tally(attempts.map((doc) => doc.status)),
    jobs,
    logs,
  });
}

/** `count` Telegram users, one notification each in one batch request. */
async function telegramBatch(count: number) {
  const users = Array.from({ length: count }, () =>
    fx.sandbox.sandbox.context.users.create(
      createUserInput.parse({ phone: nextPhone(), accounts: { telegram: true } }),
    ),
  );
  const items = users.map((user) => ({
    to: { channel: fx.channels.telegram, externalUserId: user.accounts.telegram?.id },
    template: { id: templateId, params },
    route: [{ channel: 'telegram', ttl: '1h' }],
  }));
  const res = await request(fx.stack.app)
    .post('/v1/notifications/batch')
    .set(bearer(fx.apiKey))
    .send({ items })
    .expect(202);
  expect(res.body).toMatchObject({ accepted: count, rejected: 0 });
  const ids = (res.body.items as Array<{ id: string }>).map((item) => item.id);
  const { models } = fx.stack;
  const delivered = () =>
    models.Notification.countDocuments({ _id: trusted({ $in: ids }), status: 'delivered' }).exec();
  return {
    delivered,
    /** Every notification delivered, one attempt each, and each user got exactly one message. */
    async allDeliveredOnce(timeoutMs: number) {
      await eventually(
        async () => ((await delivered()) === count ? true : undefined),
        `all ${count} delivered`,
        timeoutMs,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}: ${await batchSummary(ids)}`);
      });
      const counts = users.map((user) => user.received.filter((m) => m.platform === 'telegram').length);
      expect(counts.filter((received) => received !== 1)).toEqual([]);
      const attempts = await models.NotificationAttempt.countDocuments({
        notificationId: trusted({ $in: ids }),
      }).exec();
      expect(attempts).toBe(count);
    },
  };
}

describe('Redis flushed mid-batch', () => {
  it('a batch of 200 to Telegram: the queue keys vanish, one sweep re-queues, all delivered, none twice', async () => {
    const batch = await telegramBatch(200);
    await eventually(
      async () => ((await batch.delivered()) >= 20 ? true : undefined),
      '20 delivered',
      15_000,
    );
    await deleteKeys(fx.stack.redis, `${fx.stack.config.QUEUE_PREFIX}*`);
    expect(await batch.delivered()).toBeLessThan(200);
    await fx.stack.notifications.sweep(0);
    // Each delivery also writes the recipient's inbox record on the same embedded database: allow for it.
    await batch.allDeliveredOnce(60_000);
  }, 120_000);

  it('the sweeper schedule itself comes back after a flush and recovers a batch unattended', async () => {
    // A second worker on this stack with a 1 s sweep (stale after 5 s) and a 1 s schedule refresh.
    await fx.stack.notifications.startWorker({
      concurrency: 4,
      sweepEveryMs: 1000,
      schedulerRefreshMs: 1000,
    });
    const batch = await telegramBatch(60);
    await deleteKeys(fx.stack.redis, `${fx.stack.config.QUEUE_PREFIX}*`);
    expect(await batch.delivered()).toBeLessThan(60);
    // Steps whose send failed in the flush retry with exponential backoff (2 s … 32 s): allow for it.
    await batch.allDeliveredOnce(110_000);
  }, 150_000);
});
