import type { ChannelKind } from '../../adapters/contract';
import type { CreateUserInput } from '../../src/sandbox/virtual-users';
import {
  getNotification,
  type NotificationFixture,
  passTtl,
  sendNotification,
  startNotificationFixture,
  waitForStatus,
} from '../helpers/notification-fixture';
import {
  firstSendTry,
  openOkDialog,
  orderShippedTemplate,
  phoneSequence,
  sandboxPerson,
  statusesOf,
  timelineOf,
} from '../helpers/notification-paths';

/**
 * Every status path on every channel type, through the real sandbox: the furthest status each
 * channel reports (read where the platform reports reads), the platform's refusal (undelivered), and
 * the TTL passing without delivery (expired) — each with its attempt timeline and `billable`.
 * Channels that report nothing (Telegram, OK, e-mail) count the platform's acceptance as delivered,
 * so their TTL can only pass before the platform accepted the message.
 */
let fx: NotificationFixture;
let templateId: string;
const nextPhone = phoneSequence('200');
const params = { order: '2077', track: 'RB456' };
const text = 'Заказ №2077 передан в доставку. Трек: RB456, статус — в приложении.';

beforeAll(async () => {
  fx = await startNotificationFixture('ntf-paths');
  templateId = await orderShippedTemplate(fx);
}, 60_000);
afterEach(() => fx.sandbox.control.clearFaults());
afterAll(() => fx.close());

/** Where the sandbox user finds a message sent on each channel type. */
const receivedOn: Record<ChannelKind, string> = {
  vk: 'vk',
  'vk-notify': 'vk',
  'ok-notify': 'ok',
  ok: 'ok',
  telegram: 'telegram',
  viber: 'viber',
  whatsapp: 'whatsapp',
  sms: 'sms',
  email: 'email',
};

interface PathCase {
  type: ChannelKind;
  happy: {
    /** The furthest status the channel reports. */
    status: 'read' | 'delivered';
    /** The sandbox platform the user reads on, once the notification reached `after`. */
    read?: { platform: string; after: 'sent' | 'delivered' };
  };
  undelivered: {
    /** Who cannot be reached, and why (blocked, inactive, no account…). */
    person: Omit<CreateUserInput, 'phone'>;
    /** The contact's address instead of the person's (one no sandbox mailbox has). */
    email?: string;
    /** Sent `to: {phone}` for a number no sandbox user has. */
    byPhoneOnly?: boolean;
    reason: RegExp;
    /** Whether the platform accepted the message before refusing it (a refusal reported later). */
    acceptedFirst: boolean;
  };
  /**
   * `unconfirmed`: accepted, but no receipt comes (the person is offline, or the sandbox drops the
   * first `dropCallbacks` callbacks); `before-send`: the platform answers 503 until the TTL passed.
   */
  expired:
    | { kind: 'unconfirmed'; person?: Omit<CreateUserInput, 'phone'>; dropCallbacks?: number }
    | { kind: 'before-send' };
}

const cases: PathCase[] = [
  {
    type: 'vk',
    happy: { status: 'read', read: { platform: 'vk', after: 'sent' } },
    undelivered: {
      person: { accounts: { vk: { blocked: true } } },
      reason: /^blocked$/,
      acceptedFirst: false,
    },
    expired: { kind: 'unconfirmed' },
  },
  {
    type: 'vk-notify',
    happy: { status: 'read', read: { platform: 'notify', after: 'delivered' } },
    undelivered: { person: { lastSeenMinutesAgo: 8 * 24 * 60 }, reason: /^inactive$/, acceptedFirst: true },
    // Offline for 3 h with a 1 h TTL: the gateway holds the notification, no receipt comes.
    expired: { kind: 'unconfirmed', person: { lastSeenMinutesAgo: 180 } },
  },
  {
    type: 'ok-notify',
    happy: { status: 'read', read: { platform: 'notify', after: 'delivered' } },
    undelivered: {
      person: { accounts: { vk: true, telegram: true } },
      reason: /^no_account$/,
      acceptedFirst: true,
    },
    expired: { kind: 'unconfirmed', person: { lastSeenMinutesAgo: 180 } },
  },
  {
    type: 'ok',
    happy: { status: 'delivered' },
    undelivered: {
      person: { accounts: { ok: { blocked: true } } },
      reason: /^blocked$/,
      acceptedFirst: false,
    },
    expired: { kind: 'before-send' },
  },
  {
    type: 'telegram',
    happy: { status: 'delivered' },
    undelivered: {
      person: { accounts: { telegram: { blocked: true } } },
      reason: /^blocked$/,
      acceptedFirst: false,
    },
    expired: { kind: 'before-send' },
  },
  {
    type: 'viber',
    happy: { status: 'read', read: { platform: 'viber', after: 'delivered' } },
    undelivered: {
      person: { accounts: { viber: { blocked: true } } },
      reason: /^receiver blocked the bot$/,
      acceptedFirst: true,
    },
    expired: { kind: 'unconfirmed', dropCallbacks: 1 },
  },
  {
    type: 'whatsapp',
    happy: { status: 'read', read: { platform: 'whatsapp', after: 'delivered' } },
    undelivered: {
      person: { accounts: { whatsapp: { blocked: true } } },
      reason: /^131026/,
      acceptedFirst: true,
    },
    expired: { kind: 'unconfirmed', dropCallbacks: 2 },
  },
  {
    type: 'sms',
    happy: { status: 'delivered' },
    undelivered: { person: {}, byPhoneOnly: true, reason: /UNDELIV/, acceptedFirst: true },
    expired: { kind: 'unconfirmed', dropCallbacks: 1 },
  },
  {
    type: 'email',
    happy: { status: 'delivered' },
    undelivered: {
      person: {},
      email: 'nobody@nowhere.example.ru',
      reason: /^no-account$/,
      acceptedFirst: false,
    },
    expired: { kind: 'before-send' },
  },
];

/** A sandbox person and contact; on OK the person first writes to the group (OK sends only into dialogs). */
async function person(type: ChannelKind, input: CreateUserInput, options: { email?: string } = {}) {
  const made = await sandboxPerson(fx, { email: `e${input.phone.slice(-7)}@example.ru`, ...input }, options);
  if (type === 'ok') await openOkDialog(fx, made.user, made.contactId);
  return made;
}

const send = (type: ChannelKind, to: Record<string, unknown>, ttl = '1h') =>
  sendNotification(fx, { to, template: { id: templateId, params }, route: [{ channel: type, ttl }] });

describe.each(cases)('$type', (c) => {
  it(`reaches ${c.happy.status}; billable; one message; a later TTL changes nothing`, async () => {
    const { user, contactId } = await person(c.type, { phone: nextPhone() });
    const id = await send(c.type, { contactId });
    if (c.happy.read) {
      await waitForStatus(fx, id, c.happy.read.after);
      await fx.sandbox.control.read(user.id, { platform: c.happy.read.platform });
    }
    const done = await waitForStatus(fx, id, c.happy.status);
    const expected =
      c.happy.status === 'read' ? ['queued', 'sent', 'delivered', 'read'] : ['queued', 'sent', 'delivered'];
    expect(timelineOf(done)).toEqual(expected);
    expect(statusesOf(done)).toEqual([[c.type, c.happy.status, null]]);
    expect(done.billable).toBe(true);
    expect(done.finalReason).toBeNull();
    const received = await fx.sandbox.control.received(user.id, receivedOn[c.type]);
    expect(received.map((message) => message.text)).toEqual([expect.stringContaining(text)]);

    await passTtl(fx, id, 0);
    const after = await getNotification(fx, id);
    expect(after.status).toBe(c.happy.status);
    expect(timelineOf(after)).toEqual(expected);
    expect(after.attempts).toHaveLength(1);
  });

  it(`ends undelivered when the platform refuses; not billable`, async () => {
    const phone = nextPhone();
    const u = c.undelivered;
    const { user, contactId } = await person(
      c.type,
      { phone: u.byPhoneOnly ? nextPhone() : phone, ...u.person },
      u.email ? { email: u.email } : {},
    );
    const id = await send(c.type, u.byPhoneOnly ? { phone } : { contactId });
    const done = await waitForStatus(fx, id, 'undelivered');
    expect(timelineOf(done)).toEqual(
      u.acceptedFirst ? ['queued', 'sent', 'undelivered'] : ['queued', 'undelivered'],
    );
    expect(done.attempts[0]?.reason).toMatch(u.reason);
    expect(done.finalReason).toMatch(u.reason);
    expect(done.billable).toBe(false);
    if (!u.acceptedFirst) expect(await fx.sandbox.control.received(user.id, receivedOn[c.type])).toEqual([]);
  });

  it(`expires when the TTL passes without delivery; not billable`, async () => {
    const e = c.expired;
    const habits = e.kind === 'unconfirmed' ? (e.person ?? {}) : {};
    const { user, contactId } = await person(c.type, { phone: nextPhone(), ...habits });
    const platform = c.type === 'vk-notify' || c.type === 'ok-notify' ? 'notify' : c.type;
    if (e.kind === 'unconfirmed' && e.dropCallbacks) {
      await fx.sandbox.control.addFault({ platform, kind: 'drop-callbacks', count: e.dropCallbacks });
    }
    if (e.kind === 'before-send') {
      await fx.sandbox.control.addFault({ platform, kind: 'server-error', status: 503 });
    }
    const id = await send(c.type, { contactId });
    if (e.kind === 'unconfirmed') {
      await waitForStatus(fx, id, 'sent');
    } else {
      // The platform answered 503: the step waits for its retry.
      await firstSendTry(fx, id, 0);
    }
    await passTtl(fx, id, 0);
    await fx.sandbox.control.clearFaults();
    const done = await waitForStatus(fx, id, 'expired');
    expect(timelineOf(done)).toEqual(
      e.kind === 'unconfirmed' ? ['queued', 'sent', 'expired'] : ['queued', 'expired'],
    );
    expect(statusesOf(done)).toEqual([[c.type, 'expired', 'ttl']]);
    expect(done.finalReason).toBe('ttl');
    expect(done.billable).toBe(false);
    const received = await fx.sandbox.control.received(user.id, receivedOn[c.type]);
    if (c.type === 'vk') {
      // VK can delete: the expired message is withdrawn.
      expect(done.attempts[0]?.withdrawn).toBe(true);
      expect(received.map((message) => message.status)).toEqual(['deleted']);
    } else {
      expect(done.attempts[0]?.withdrawn).toBeNull();
    }
    if (e.kind === 'before-send') expect(received).toEqual([]);
  });
});

describe('TTL → fallback to SMS', () => {
  const thenSms = (first: ChannelKind, contactId: string) =>
    sendNotification(fx, {
      to: { contactId },
      template: { id: templateId, params },
      route: [
        { channel: first, ttl: '1h' },
        { channel: 'sms', ttl: '1h' },
      ],
    });

  it('Telegram: the TTL passes before the Bot API accepts → expired, SMS delivers, nothing to withdraw', async () => {
    const { user, contactId } = await person('telegram', { phone: nextPhone() });
    await fx.sandbox.control.addFault({ platform: 'telegram', kind: 'server-error', status: 502 });
    const id = await thenSms('telegram', contactId);
    await firstSendTry(fx, id, 0);
    await passTtl(fx, id, 0);
    await fx.sandbox.control.clearFaults();
    const done = await waitForStatus(fx, id, 'delivered');
    expect(statusesOf(done)).toEqual([
      ['telegram', 'expired', 'ttl'],
      ['sms', 'delivered', null],
    ]);
    expect(done.attempts[0]?.withdrawn).toBeNull();
    expect(done.billable).toBe(true);
    expect(await fx.sandbox.control.received(user.id, 'telegram')).toEqual([]);
    expect(await fx.sandbox.control.received(user.id, 'sms')).toHaveLength(1);
  });

  it('Telegram: once the Bot API accepted, the message counts as delivered — a later TTL neither withdraws it nor falls back', async () => {
    const { user, contactId } = await person('telegram', { phone: nextPhone() });
    const id = await thenSms('telegram', contactId);
    await waitForStatus(fx, id, 'delivered');
    await passTtl(fx, id, 0);
    const after = await getNotification(fx, id);
    expect(statusesOf(after)).toEqual([['telegram', 'delivered', null]]);
    expect((await fx.sandbox.control.received(user.id, 'telegram')).map((m) => m.status)).toEqual([
      'delivered',
    ]);
    expect(await fx.sandbox.control.received(user.id, 'sms')).toEqual([]);
  });

  it('VK read before the TTL: no fallback; the SMS user gets nothing', async () => {
    const { user, contactId } = await person('vk', { phone: nextPhone() });
    const id = await thenSms('vk', contactId);
    await waitForStatus(fx, id, 'sent');
    await fx.sandbox.control.read(user.id, { platform: 'vk' });
    await waitForStatus(fx, id, 'read');
    await passTtl(fx, id, 0);
    const after = await getNotification(fx, id);
    expect(statusesOf(after)).toEqual([['vk', 'read', null]]);
    expect(after.attempts[0]?.withdrawn).toBeNull();
    expect(await fx.sandbox.control.received(user.id, 'sms')).toEqual([]);
  });
});
