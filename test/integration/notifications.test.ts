import request from 'supertest';
import { createUserInput } from '../../src/sandbox/virtual-users';
import { eventually } from '../contract/helpers/sandbox-control';
import { expectBolaMatrix } from '../helpers/bola';
import {
  approvedTemplate,
  bearer,
  getNotification,
  type NotificationFixture,
  passTtl,
  personWithContact,
  sendNotification,
  startNotificationFixture,
  waitForStatus,
} from '../helpers/notification-fixture';

/** Notifications end to end through the sandbox: accept, route steps, statuses, TTL and fallback. */
let fx: NotificationFixture;
let templateId: string;

beforeAll(async () => {
  fx = await startNotificationFixture('notifications');
  templateId = await approvedTemplate(fx, {
    name: 'order_shipped',
    body: 'Заказ №#order# передан в доставку. Трек: #track#. Спасибо!',
    channels: ['sms', 'telegram', 'vk', 'viber', 'ok', 'email', 'whatsapp', 'vk-notify', 'ok-notify'],
  });
}, 60_000);
afterAll(async () => {
  if (process.env.DUMP_LOGS)
    console.log(
      fx.stack.logLines
        .filter((l) => /sms|fail|error|warn/i.test(l))
        .slice(-40)
        .join('\n'),
    );
  await fx.close();
});

const params = { order: '1042', track: 'RA123' };

describe('accepting', () => {
  it('answers 202 accepted and stores the notification before any send', async () => {
    const res = await request(fx.stack.app)
      .post('/v1/notifications')
      .set(bearer(fx.apiKey))
      .send({
        to: { phone: '+79160000001' },
        template: { id: templateId, params },
        route: [{ channel: 'sms', ttl: '1h' }],
      })
      .expect(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'accepted' });
    expect(await fx.stack.models.Notification.countDocuments({ _id: res.body.id })).toBe(1);
  });

  it('names every missing placeholder with 422', async () => {
    const res = await request(fx.stack.app)
      .post('/v1/notifications')
      .set(bearer(fx.apiKey))
      .send({
        to: { phone: '+79160000001' },
        template: { id: templateId, params: {} },
        route: [{ channel: 'sms', ttl: 60 }],
      })
      .expect(422);
    expect(res.body.code).toBe('notification.params_missing');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.template.params.order',
      'body.template.params.track',
    ]);
  });

  it('refuses a TTL outside 15 s..24 h and an unknown channel', async () => {
    const badTtl = await request(fx.stack.app)
      .post('/v1/notifications')
      .set(bearer(fx.apiKey))
      .send({
        to: { phone: '+79160000001' },
        template: { id: templateId, params },
        route: [{ channel: 'sms', ttl: '10s' }],
      })
      .expect(400);
    expect(badTtl.headers['content-type']).toContain('application/problem+json');
    const unknown = await request(fx.stack.app)
      .post('/v1/notifications')
      .set(bearer(fx.apiKey))
      .send({
        to: { phone: '+79160000001' },
        template: { id: templateId, params },
        route: [{ channel: 'aaaaaaaaaaaaaaaaaaaaaaaa', ttl: 60 }],
      })
      .expect(422);
    expect(unknown.body.code).toBe('notification.route_invalid');
  });
});

describe('contacts', () => {
  it('a contact created through the API is reachable by contactId on its chat identity; other workspaces get 404', async () => {
    const user = fx.sandbox.sandbox.context.users.create(
      createUserInput.parse({ phone: '+79160000010', name: 'Олег' }),
    );
    const created = await request(fx.stack.app)
      .post('/v1/contacts')
      .set(bearer(fx.apiKey))
      .send({
        name: 'Олег',
        phone: '+79160000010',
        identities: [{ channelId: fx.channels.viber, externalUserId: user.accounts.viber?.id }],
      })
      .expect(201);
    expect(created.body.identities).toEqual([
      { channelId: fx.channels.viber, channelType: 'viber', externalUserId: user.accounts.viber?.id },
    ]);
    const id = await sendNotification(fx, {
      to: { contactId: created.body.id },
      template: { id: templateId, params },
      route: [{ channel: 'viber', ttl: '1h' }],
    });
    await waitForStatus(fx, id, 'delivered');
    await expectBolaMatrix(fx.stack.app, {
      attacker: fx.otherKey,
      owner: fx.apiKey,
      cases: [
        { method: 'get', path: `/v1/contacts/${created.body.id}` },
        { method: 'get', path: `/v1/notifications/${id}` },
      ],
    });
    const foreign = await request(fx.stack.app)
      .post('/v1/notifications')
      .set(bearer(fx.otherKey))
      .send({
        to: { contactId: created.body.id },
        template: { name: 'order_shipped', params },
        route: [{ channel: 'sms', ttl: 60 }],
      });
    expect(foreign.status).toBe(422);
  });
});

describe('delivery', () => {
  it('SMS: sent, then delivered by the SMSC receipt; billable', async () => {
    await personWithContact(fx, '+79160000002');
    const id = await sendNotification(fx, {
      to: { phone: '+79160000002' },
      template: { name: 'order_shipped', params },
      route: [{ channel: 'sms', ttl: '1h' }],
    });
    const done = await waitForStatus(fx, id, 'delivered');
    expect(done.billable).toBe(true);
    expect(done.attempts[0]?.timeline.map((entry) => entry.status)).toEqual(['queued', 'sent', 'delivered']);
    expect(await fx.stack.models.Usage.countDocuments({ notificationId: id })).toBe(1);
  });

  it('SMS to a number no phone answers: undelivered with the SMSC’s reason, not billable', async () => {
    const id = await sendNotification(fx, {
      to: { phone: '+79169999999' },
      template: { name: 'order_shipped', params },
      route: [{ channel: 'sms', ttl: '1h' }],
    });
    const done = await waitForStatus(fx, id, 'undelivered');
    expect(done.billable).toBe(false);
    expect(await fx.stack.models.Usage.countDocuments({ notificationId: id })).toBe(0);
    expect(done.finalReason).toMatch(/UNDELIV/);
  });

  it('Telegram (no receipts): delivered on the Bot API’s acceptance', async () => {
    const { contactId, user } = await personWithContact(fx, '+79160000003');
    const id = await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [{ channel: 'telegram', ttl: '1h' }],
    });
    await waitForStatus(fx, id, 'delivered');
    const received = await fx.sandbox.control.received(user.id, 'telegram');
    expect(received.map((message) => message.text)).toEqual([
      'Заказ №1042 передан в доставку. Трек: RA123. Спасибо!',
    ]);
  });

  it('VK TTL passes unread → the chat message is withdrawn and SMS delivers', async () => {
    const { contactId, user } = await personWithContact(fx, '+79160000004');
    const id = await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [
        { channel: 'vk', ttl: '1h' },
        { channel: 'sms', ttl: '1h' },
      ],
    });
    await waitForStatus(fx, id, 'sent');
    await passTtl(fx, id, 0);
    const done = await waitForStatus(fx, id, 'delivered');
    expect(done.attempts.map((a) => [a.channel.type, a.status, a.reason])).toEqual([
      ['vk', 'expired', 'ttl'],
      ['sms', 'delivered', null],
    ]);
    expect(done.attempts[0]?.withdrawn).toBe(true);
    const vk = await fx.sandbox.control.received(user.id, 'vk');
    expect(vk.map((message) => message.status)).toEqual(['deleted']);
    expect(await fx.sandbox.control.received(user.id, 'sms')).toHaveLength(1);
  });

  it('vk-notify: delivered and read by receipts; a 6th message in 24 h is skipped and SMS takes it', async () => {
    const { user } = await personWithContact(fx, '+79160000005');
    const send = () =>
      sendNotification(fx, {
        to: { phone: '+79160000005' },
        template: { id: templateId, params },
        route: [
          { channel: 'vk-notify', ttl: '1h' },
          { channel: 'sms', ttl: '1h' },
        ],
      });
    for (let i = 0; i < 5; i += 1) await waitForStatus(fx, await send(), 'delivered', 15_000);
    const sixth = await waitForStatus(fx, await send(), 'delivered', 15_000);
    expect(sixth.attempts.map((a) => [a.channel.type, a.status, a.reason])).toEqual([
      ['vk-notify', 'skipped', 'recipient-daily-limit'],
      ['sms', 'delivered', null],
    ]);
    expect(await fx.sandbox.control.received(user.id, 'vk')).toHaveLength(5);
  }, 60_000);
});

describe('recipient verification', () => {
  const question = async (userId: string) =>
    eventually(async () => {
      const received = await fx.sandbox.control.received(userId, 'telegram');
      return received.find((message) => message.text.includes('это ваш номер?'));
    }, 'the verification question');

  it('asks first; Yes delivers the content and is remembered, so the next one is not asked', async () => {
    const { contactId, user } = await personWithContact(fx, '+79160000006');
    const body = {
      to: { contactId },
      template: { id: templateId, params },
      route: [{ channel: 'telegram', ttl: '1h' }],
      verifyRecipient: true,
    };
    const first = await sendNotification(fx, body);
    const asked = await question(user.id);
    expect(asked.text).toBe('+7 *** *** 00 06 — это ваш номер?');
    expect((await getNotification(fx, first)).status).toBe('queued');
    await fx.sandbox.control.pressButton(user.id, {
      platform: 'telegram',
      messageId: asked.messageId,
      button: 0,
    });
    await waitForStatus(fx, first, 'delivered');
    const second = await sendNotification(fx, body);
    await waitForStatus(fx, second, 'delivered');
    const texts = (await fx.sandbox.control.received(user.id, 'telegram')).map((message) => message.text);
    expect(texts.filter((text) => text.includes('это ваш номер?'))).toHaveLength(1);
    expect(texts.filter((text) => text.startsWith('Заказ №1042'))).toHaveLength(2);
  });

  it('No ends the attempt as recipient-denied and the route goes on to SMS', async () => {
    const { contactId, user } = await personWithContact(fx, '+79160000007');
    const id = await sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [
        { channel: 'telegram', ttl: '1h' },
        { channel: 'sms', ttl: '1h' },
      ],
      verifyRecipient: true,
    });
    const asked = await question(user.id);
    await fx.sandbox.control.pressButton(user.id, {
      platform: 'telegram',
      messageId: asked.messageId,
      button: 1,
    });
    const done = await waitForStatus(fx, id, 'delivered');
    expect(done.attempts.map((a) => [a.channel.type, a.status, a.reason])).toEqual([
      ['telegram', 'undelivered', 'recipient-denied'],
      ['sms', 'delivered', null],
    ]);
    const telegram = await fx.sandbox.control.received(user.id, 'telegram');
    expect(telegram.some((message) => message.text.startsWith('Заказ'))).toBe(false);
  });
});
