import { readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  ChannelAdapter,
  DeliveryStatus,
  NormalizedEvent,
  OutboundContent,
  SendResult,
} from '../../adapters/contract';
import { hmacSha256Hex } from '../../adapters/shared/signatures';
import { vkNotifyAdapter } from '../../adapters/vk-notify';
import { eventually, type SandboxUser, startTestSandbox, type TestSandbox } from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

interface NotifyAccountJson {
  apiKey: string;
  callbackSecret: string;
  apiBaseUrl: string;
  name: string;
  templates: Array<{ name: string; status: string }>;
}

const templates = [
  { name: 'order_shipped', text: 'Ваш заказ №#order# передан в доставку' },
  {
    name: 'payment_due',
    text: 'Счёт №#invoice# на #amount# ₽. #details#',
    buttons: [
      { type: 'link', label: 'Оплатить', url: 'https://shop.example/pay' },
      { type: 'text', label: 'Уже оплатил', payload: 'paid' },
    ],
  },
];
const shipped = (order: string): Extract<OutboundContent, { type: 'template' }> => ({
  type: 'template',
  template: 'order_shipped',
  params: { order },
  text: `Ваш заказ №${order} передан в доставку`,
});
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

describe('vk-notify outbound: the requests the gateway receives and what it does with them', () => {
  let sandbox: TestSandbox;
  let receiver: WebhookReceiver;
  let account: NotifyAccountJson;
  let adapter: ChannelAdapter;
  let phoneSequence = 0;
  let idSequence = 0;
  const nextId = (): string => `msg-outbound-${++idSequence}`;

  const makeAdapter = (overrides: Record<string, unknown> = {}, timeoutMs = 2_000): ChannelAdapter => {
    const created = vkNotifyAdapter.create(
      vkNotifyAdapter.configSchema.parse({
        apiKey: account.apiKey,
        callbackSecret: account.callbackSecret,
        apiBaseUrl: account.apiBaseUrl,
        ...overrides,
      }),
      {
        logger: silentLogger,
        webhook: { url: receiver.url, key: receiver.key },
        emit: receiver.emit,
        requestTimeoutMs: timeoutMs,
      },
    );
    return created;
  };
  const newUser = (body: Record<string, unknown> = {}): Promise<SandboxUser> =>
    sandbox.control.createUser({
      phone: `+7916555${String(++phoneSequence).padStart(4, '0')}`,
      accounts: { vk: true, ok: true },
      ...body,
    });
  const send = (
    user: SandboxUser,
    content: OutboundContent = shipped('1'),
    options = {},
    via = adapter,
  ): Promise<SendResult> =>
    via.send({ kind: 'phone', phone: user.phone }, content, { messageId: nextId(), ...options });
  const sentId = (result: SendResult): string => {
    if (!result.ok) throw new Error(`send failed: ${JSON.stringify(result.failure)}`);
    return result.externalMessageId;
  };
  const statusEvents = (id: string) =>
    receiver.events.filter(
      (event): event is Extract<NormalizedEvent, { type: 'status-update' }> =>
        event.type === 'status-update' && event.externalMessageId === id,
    );
  const waitForStatus = (id: string, status: DeliveryStatus) =>
    eventually(() => statusEvents(id).find((event) => event.status === status), `${status} for ${id}`);
  const lastRequest = async () => (await sandbox.control.requests('notify')).at(-1);
  const gateway = (method: string, route: string, body?: unknown, apiKey = account.apiKey) =>
    fetch(`${account.apiBaseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    sandbox = await startTestSandbox('vk-notify-outbound');
    receiver = new WebhookReceiver();
    await receiver.start();
    account = await sandbox.control.createAccount<NotifyAccountJson>('notify', {
      name: 'Магазин',
      templates,
    });
    adapter = makeAdapter();
    receiver.adapter = adapter;
  });
  afterAll(async () => {
    await receiver?.close();
    await sandbox?.close();
  });
  afterEach(() => sandbox.control.clearFaults());

  describe('sending', () => {
    it('posts the documented notify request and the user receives the rendered template', async () => {
      const user = await newUser();
      const messageId = nextId();
      const result = await adapter.send({ kind: 'phone', phone: user.phone }, shipped('1042'), { messageId });
      const id = sentId(result);
      expect(await lastRequest()).toMatchObject({
        method: 'POST',
        path: '/v1/notify',
        contentType: 'application/json',
        body: {
          phone: user.phone,
          route: 'vk',
          template: 'order_shipped',
          params: { order: '1042' },
          policy: 'any',
          ttl: 3600,
          callback_url: receiver.url,
          message_id: messageId,
        },
      });
      expect(Object.keys((await lastRequest())?.body as object).sort()).toEqual(
        ['callback_url', 'message_id', 'params', 'phone', 'policy', 'route', 'template', 'ttl'].sort(),
      );
      const [received] = await sandbox.control.received(user.id, 'vk');
      expect(received).toMatchObject({
        platform: 'vk',
        messageId: id,
        from: 'Магазин',
        via: 'notify',
        text: 'Ваш заказ №1042 передан в доставку',
        buttons: [],
        template: { name: 'order_shipped', params: { order: '1042' } },
        status: 'delivered',
      });
    });

    it('passes the TTL, the per-message callback URL and the channel policy', async () => {
      const user = await newUser();
      const policyAdapter = makeAdapter({ defaultPolicy: 'verified_phone' });
      const otherUrl = `${receiver.url}?attempt=2`;
      sentId(await send(user, shipped('7'), { ttlSeconds: 900, statusCallbackUrl: otherUrl }, policyAdapter));
      expect((await lastRequest())?.body).toMatchObject({
        ttl: 900,
        callback_url: otherUrl,
        policy: 'verified_phone',
      });
    });

    it("shows the template's buttons on VK", async () => {
      const user = await newUser();
      const id = sentId(
        await send(user, {
          type: 'template',
          template: 'payment_due',
          params: { invoice: '77', amount: '1 500', details: 'Оплата до 20 марта' },
          text: 'Счёт №77 на 1 500 ₽. Оплата до 20 марта',
        }),
      );
      const [received] = await sandbox.control.received(user.id, 'vk');
      expect(received?.messageId).toBe(id);
      expect(received?.text).toBe('Счёт №77 на 1 500 ₽. Оплата до 20 марта');
      expect(received?.buttons).toEqual([
        { kind: 'link', label: 'Оплатить', url: 'https://shop.example/pay' },
        { kind: 'reply', label: 'Уже оплатил', payload: 'paid' },
      ]);
    });

    it('a retried send with the same message id returns the same id and delivers once', async () => {
      const user = await newUser();
      const options = { messageId: nextId() };
      const first = sentId(await adapter.send({ kind: 'phone', phone: user.phone }, shipped('5'), options));
      const again = sentId(await adapter.send({ kind: 'phone', phone: user.phone }, shipped('5'), options));
      expect(again).toBe(first);
      expect(await sandbox.control.received(user.id, 'vk')).toHaveLength(1);
    });

    it('refuses text content and non-phone recipients before any request', async () => {
      const user = await newUser();
      const before = (await sandbox.control.requests('notify')).length;
      expect(await send(user, { type: 'text', text: 'Привет' })).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'content-invalid', code: 'template-required' },
      });
      const byUserId = await adapter.send({ kind: 'user', externalUserId: '1' }, shipped('1'), {
        messageId: nextId(),
      });
      expect(byUserId).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'recipient-invalid' },
      });
      expect(
        await send(user, { ...shipped('1'), buttons: [{ kind: 'reply', label: 'Да', payload: 'y' }] }),
      ).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'content-invalid', code: 'buttons.max' },
      });
      expect((await sandbox.control.requests('notify')).length).toBe(before);
    });
  });

  describe('gateway errors → send failures', () => {
    it.each([
      ['an unknown API key', { apiKey: 'ntf_wrong' }, {}, 'auth', 'unauthorized'],
      ['a phone that is not E.164', {}, { phone: '+7123' }, 'recipient-invalid', 'invalid_phone'],
      ['a TTL under 15 s', {}, { ttlSeconds: 5 }, 'content-invalid', 'invalid_ttl'],
      ['a TTL over 24 h', {}, { ttlSeconds: 86_401 }, 'content-invalid', 'invalid_ttl'],
      ['an unknown template', {}, { template: 'nope' }, 'template-not-approved', 'template_not_found'],
      ['a missing placeholder value', {}, { params: {} }, 'content-invalid', 'missing_param'],
      [
        'a non-http callback URL',
        {},
        { statusCallbackUrl: 'ftp://x.example/cb' },
        'content-invalid',
        'invalid_request',
      ],
    ])('%s', async (_what, config, change: Record<string, unknown>, reason, code) => {
      const user = await newUser();
      const via = makeAdapter(config);
      const { phone, template, params, ...options } = change;
      const content = {
        ...shipped('9'),
        ...(template ? { template } : {}),
        ...(params ? { params } : {}),
      } as OutboundContent;
      const result = await via.send({ kind: 'phone', phone: (phone as string) ?? user.phone }, content, {
        messageId: nextId(),
        ...options,
      });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason, code } });
    });

    it('a template still in moderation is template-not-approved', async () => {
      const submitted = await adapter.templates?.submit({ name: 'fresh_one', text: 'Код: #code#' });
      expect(submitted).toEqual({ ok: true, status: 'pending' });
      const result = await send(await newUser(), {
        type: 'template',
        template: 'fresh_one',
        params: { code: '1234' },
        text: 'Код: 1234',
      });
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'template-not-approved', code: 'template_not_approved' },
      });
    });

    it.each([
      ['2048 characters', 'я'.repeat(2040), 'characters'],
      ['2 KB in UTF-8', 'я'.repeat(1100), 'bytes'],
    ])('the gateway refuses a text over %s after substitution', async (_what, order, unit) => {
      // The rendered text we claim is short, so only the gateway's own check can refuse it.
      const result = await send(await newUser(), { ...shipped('1'), params: { order } });
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'content-too-long', code: 'text_too_long' },
      });
      if (!result.ok && result.failure.kind === 'permanent') expect(result.failure.detail).toContain(unit);
    });

    it('reusing a message id for another notification is rejected', async () => {
      const user = await newUser();
      const options = { messageId: nextId() };
      sentId(await adapter.send({ kind: 'phone', phone: user.phone }, shipped('1'), options));
      const reused = await adapter.send({ kind: 'phone', phone: user.phone }, shipped('2'), options);
      expect(reused).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'rejected', code: 'idempotency_conflict' },
      });
    });

    it('enforces the per-key rate limit with 429 and Retry-After', async () => {
      const limited = await sandbox.control.createAccount<NotifyAccountJson>('notify', {
        templates,
        rateLimitPerSecond: 2,
      });
      const via = makeAdapter({ apiKey: limited.apiKey, callbackSecret: limited.callbackSecret });
      const user = await newUser();
      const results = [];
      for (let attempt = 0; attempt < 3; attempt += 1) results.push(await send(user, shipped('3'), {}, via));
      expect(results.slice(0, 2).every((result) => result.ok)).toBe(true);
      expect(results[2]).toEqual({
        ok: false,
        failure: { kind: 'rate-limited', retryAfterMs: 1000, code: 'rate_limit_exceeded' },
      });
      const raw = await gateway('POST', '/v1/notify', {}, limited.apiKey);
      expect(raw.status).toBe(429);
      expect(raw.headers.get('retry-after')).toBe('1');
      expect(await raw.json()).toEqual({
        error: { code: 'rate_limit_exceeded', message: expect.stringContaining('retry in 1 s') },
      });
    });

    it('answers the rate-limit fault with the same error shape and its delay', async () => {
      await sandbox.control.addFault({
        platform: 'notify',
        kind: 'rate-limit',
        retryAfterSeconds: 4,
        count: 1,
      });
      const raw = await gateway('POST', '/v1/notify', {});
      expect(raw.status).toBe(429);
      expect(raw.headers.get('retry-after')).toBe('4');
      expect((await raw.json()) as unknown).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    });

    it('a gateway that never answers is retryable', async () => {
      await sandbox.control.addFault({ platform: 'notify', kind: 'timeout', count: 1 });
      const result = await send(await newUser(), shipped('1'), {}, makeAdapter({}, 300));
      expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable' } });
    });

    it('answers malformed requests with the documented error body', async () => {
      const raw = await gateway('POST', '/v1/notify', { phone: '+79161234567', route: 'max', extra: 1 });
      expect(raw.status).toBe(400);
      const body = (await raw.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toEqual(expect.stringContaining('route'));
      const unauthorized = await gateway('GET', '/v1/message_template/order_shipped', undefined, 'nope');
      expect(unauthorized.status).toBe(401);
      expect(await unauthorized.json()).toMatchObject({ error: { code: 'unauthorized' } });
      const unknown = await gateway('POST', '/v2/notify', {});
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    });
  });

  describe('statuses', () => {
    it('reports sent, delivered and read in order, each callback signed over its raw body', async () => {
      const user = await newUser({ readDelayMs: 100 });
      const id = sentId(await send(user));
      await waitForStatus(id, 'read');
      expect(statusEvents(id).map((event) => event.status)).toEqual(['sent', 'delivered', 'read']);
      expect((await sandbox.control.received(user.id, 'vk'))[0]?.status).toBe('read');
      const callbacks = receiver.requests.filter((request) => request.rawBody.includes(id));
      for (const request of callbacks) {
        expect(request.headers['x-signature']).toBe(hmacSha256Hex(account.callbackSecret, request.rawBody));
      }
      const fixture = JSON.parse(
        readFileSync(path.join(__dirname, '../fixtures/vk-notify/status-delivered.json'), 'utf8'),
      ) as Record<string, unknown>;
      const delivered = JSON.parse(String(callbacks[1]?.rawBody)) as Record<string, unknown>;
      expect(Object.keys(delivered).sort()).toEqual(
        Object.keys(fixture)
          .filter((key) => key !== '_source')
          .sort(),
      );
    });

    it('reads on the control API, also before the delivery receipt came in', async () => {
      const user = await newUser();
      const id = sentId(await send(user));
      await sandbox.control.read(user.id, { platform: 'notify', messageId: id });
      await waitForStatus(id, 'read');
      expect(statusEvents(id).map((event) => event.status)).toEqual(['sent', 'delivered', 'read']);
      await expect(sandbox.control.read(user.id, { platform: 'notify', messageId: 'nope' })).rejects.toThrow(
        '404',
      );
    });

    it('exposes the status by id', async () => {
      const user = await newUser();
      const id = sentId(await send(user));
      await waitForStatus(id, 'delivered');
      const raw = await gateway('GET', `/v1/notify/${id}`);
      expect(await raw.json()).toEqual({
        id,
        message_id: expect.stringMatching(/^msg-outbound-/),
        route: 'vk',
        status: 'delivered',
      });
      expect((await gateway('GET', '/v1/notify/unknown')).status).toBe(404);
    });

    it.each([
      ['a phone nobody has', null, 'no_account'],
      ['a user without a VK account', { accounts: { ok: true } }, 'no_account'],
      [
        'a user who turned off notifications from the business',
        { accounts: { vk: { blocked: true } } },
        'blocked',
      ],
      ['a user not seen for 8 days', { lastSeenMinutesAgo: 8 * 24 * 60 }, 'inactive'],
    ])('is undelivered to %s', async (_what, body, reason) => {
      const phone = body === null ? '+79990000001' : (await newUser(body)).phone;
      const id = sentId(await adapter.send({ kind: 'phone', phone }, shipped('1'), { messageId: nextId() }));
      const event = await waitForStatus(id, 'undelivered');
      expect(event.reason).toBe(reason);
      expect(statusEvents(id).map((item) => item.status)).toEqual(['sent', 'undelivered']);
    });

    it('app_active policy: undelivered to a user not in the app for 2 days, delivered to one seen today', async () => {
      const strict = makeAdapter({ defaultPolicy: 'app_active' });
      const away = await newUser({ lastSeenMinutesAgo: 2 * 24 * 60 });
      const awayId = sentId(await send(away, shipped('1'), {}, strict));
      expect((await waitForStatus(awayId, 'undelivered')).reason).toBe('app_inactive');
      const here = await newUser({ lastSeenMinutesAgo: 30 });
      await waitForStatus(sentId(await send(here, shipped('1'), {}, strict)), 'delivered');
    });

    it('expires a notification for an offline user when the TTL passes', async () => {
      const offline = await newUser({ lastSeenMinutesAgo: 60 });
      const id = sentId(await send(offline, shipped('1'), { ttlSeconds: 15 }));
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(statusEvents(id).map((event) => event.status)).toEqual(['sent']);
      await sandbox.control.advanceClock(16_000);
      expect((await waitForStatus(id, 'expired')).reason).toBe('ttl_expired');
      expect(await sandbox.control.received(offline.id, 'vk')).toEqual([]);
    });

    it('holds a notification for an offline user: expired after the TTL, delivered if they come back first', async () => {
      const away = await newUser();
      const back = await newUser();
      await sandbox.control.seen(away.id, 60);
      expect((await sandbox.control.seen(back.id, 60)).lastSeenAt).toEqual(expect.any(String));
      const awayId = sentId(await send(away, shipped('1'), { ttlSeconds: 900 }));
      const backId = sentId(await send(back, shipped('2'), { ttlSeconds: 900 }));
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect([...statusEvents(awayId), ...statusEvents(backId)].map((event) => event.status)).toEqual([
        'sent',
        'sent',
      ]);
      await sandbox.control.seen(back.id, 0);
      await waitForStatus(backId, 'delivered');
      expect((await sandbox.control.received(back.id, 'vk')).map((message) => message.messageId)).toEqual([
        backId,
      ]);
      await sandbox.control.advanceClock(901_000);
      expect((await waitForStatus(awayId, 'expired')).reason).toBe('ttl_expired');
      expect(statusEvents(backId).map((event) => event.status)).toEqual(['sent', 'delivered']);
      expect(await sandbox.control.received(away.id, 'vk')).toEqual([]);
    });
  });

  describe('template moderation', () => {
    it('posts {name, text} and approves a clean template after a short delay', async () => {
      const templatesApi = adapter.templates;
      if (!templatesApi) throw new Error('no templates');
      expect(await templatesApi.submit({ name: 'slot_booked', text: 'Вы записаны на #time#' })).toEqual({
        ok: true,
        status: 'pending',
      });
      expect(await lastRequest()).toMatchObject({
        method: 'POST',
        path: '/v1/message_template',
        body: { name: 'slot_booked', text: 'Вы записаны на #time#' },
      });
      expect(await templatesApi.status('slot_booked')).toEqual({ status: 'pending' });
      await eventually(
        async () => ((await templatesApi.status('slot_booked'))?.status === 'approved' ? true : undefined),
        'approval',
      );
      expect(await lastRequest()).toMatchObject({ method: 'GET', path: '/v1/message_template/slot_booked' });
    });

    it.each([
      ['a link shortener', 'Трек: https://bit.ly/abc #code#', 'bit.ly'],
      ['a text over 2048 characters', `#code# ${'а'.repeat(2048)}`, '2048'],
      ['a text over 2 KB', `#code# ${'а'.repeat(1030)}`, 'bytes'],
    ])('rejects %s with a reason', async (_what, text, mention) => {
      const name = `bad_${mention.replace(/\W/g, '')}`;
      expect(await adapter.templates?.submit({ name, text })).toEqual({ ok: true, status: 'pending' });
      const verdict = await eventually(async () => {
        const status = await adapter.templates?.status(name);
        return status?.status === 'rejected' ? status : undefined;
      }, 'rejection');
      expect(verdict.reason).toContain(mention);
    });

    it('refuses to resubmit an approved template and reports unknown ones as null', async () => {
      expect(await adapter.templates?.submit({ name: 'order_shipped', text: 'x' })).toEqual({
        ok: false,
        detail: expect.stringContaining('template_exists'),
      });
      expect(await adapter.templates?.status('never_submitted')).toBeNull();
    });

    it('refuses pre-approved sandbox templates that break a moderation rule', async () => {
      await expect(
        sandbox.control.createAccount('notify', { templates: [{ name: 't', text: 'https://clck.ru/x' }] }),
      ).rejects.toThrow('422');
    });
  });

  describe('per-user limit', () => {
    it('lets 5 notifications per user per 24 h through; the 6th is undelivered until the window rolls', async () => {
      const user = await newUser();
      const ids = [];
      for (let attempt = 0; attempt < 6; attempt += 1)
        ids.push(sentId(await send(user, shipped(String(attempt)))));
      for (const id of ids.slice(0, 5)) await waitForStatus(id, 'delivered');
      expect((await waitForStatus(ids[5] ?? '', 'undelivered')).reason).toBe('limit_exceeded');
      expect(await sandbox.control.received(user.id, 'vk')).toHaveLength(5);
      // Someone else is unaffected by this user's limit.
      await waitForStatus(sentId(await send(await newUser())), 'delivered');
      // A day later the window has rolled. (The user now counts as offline for short TTLs, last seen
      // a day ago, so the notification waits for them rather than being refused.)
      await sandbox.control.advanceClock(24 * 3_600_000);
      const nextDay = sentId(await send(user, shipped('6'), { ttlSeconds: 15 }));
      await sandbox.control.advanceClock(16_000);
      expect((await waitForStatus(nextDay, 'expired')).reason).toBe('ttl_expired');
    });
  });
});
