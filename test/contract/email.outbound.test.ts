import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import pino from 'pino';
import type { Button, ChannelAdapter, Recipient, SendOptions } from '../../adapters/contract';
import { emailAdapter } from '../../adapters/email';
import { mapSmtpFailure, smtpFailureOf } from '../../adapters/email/error-mapping';
import { sampleJpeg } from '../../src/sandbox/file-store';
import {
  type LoggedRequestJson,
  type SandboxUser,
  startTestSandbox,
  type TestSandbox,
} from './helpers/sandbox-control';

interface SmtpAccount {
  user: string;
  password: string;
  host: string;
  port: number;
}

/** The DATA entry the sandbox logs: envelope plus the message as mailparser read it. */
interface DataBody {
  envelope: { mailFrom: string; rcptTo: string[]; user: string | null };
  messageId: string | null;
  subject: string | null;
  from: string | null;
  to: string | null;
  replyTo: string | null;
  inReplyTo: string | null;
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
  attachments: Array<{ filename: string | null; contentType: string; size: number; cid: string | null }>;
}

const from = 'noreply@shop.example';
const anna: Recipient = { kind: 'email', address: 'anna@mail.example', name: 'Анна Петрова' };
const expectedMessageId = (ours: string): string =>
  `<vestnik.${createHash('sha256').update(ours).digest('hex').slice(0, 32)}@shop.example>`;

describe('email outbound: what the SMTP server receives', () => {
  let sandbox: TestSandbox;
  let account: SmtpAccount;
  let user: SandboxUser;
  let adapter: ChannelAdapter;
  const extra: ChannelAdapter[] = [];
  let sequence = 0;
  const nextId = (): string => `msg-email-out-${++sequence}`;

  const createAdapter = (
    overrides: Record<string, unknown> = {},
    requestTimeoutMs = 5_000,
  ): ChannelAdapter => {
    const config = emailAdapter.configSchema.parse({
      host: account.host,
      port: account.port,
      requireTls: false,
      user: account.user,
      password: account.password,
      from: { address: from, name: 'Магазин' },
      ...overrides,
    });
    const created = emailAdapter.create(config, {
      logger: pino({ level: 'silent' }),
      webhook: { url: 'http://127.0.0.1:9/unused', key: 'unused' },
      emit: async () => {},
      requestTimeoutMs,
    });
    if (created !== adapter) extra.push(created);
    return created;
  };
  const requests = (): Promise<LoggedRequestJson[]> => sandbox.control.requests('email');
  const lastData = async (): Promise<DataBody> => {
    const entry = (await requests()).filter((request) => request.method === 'DATA').at(-1);
    if (!entry) throw new Error('no DATA logged');
    return entry.body as DataBody;
  };
  const send = (text: string, more: Partial<SendOptions> & { buttons?: Button[] } = {}) => {
    const { buttons, ...options } = more;
    return adapter.send(
      anna,
      { type: 'text', text, ...(buttons ? { buttons } : {}) },
      { messageId: nextId(), ...options },
    );
  };
  const receivedBy = async (messageId: string) =>
    (await sandbox.control.received(user.id, 'email')).filter((message) => message.messageId === messageId);

  beforeAll(async () => {
    sandbox = await startTestSandbox('email-outbound');
    account = await sandbox.control.createAccount<SmtpAccount>('email', { user: 'shop-relay' });
    user = await sandbox.control.createUser({ phone: '+79161234567', email: 'anna@mail.example' });
    adapter = createAdapter();
  });
  afterEach(() => sandbox.control.clearFaults());
  afterAll(async () => {
    await Promise.all([adapter, ...extra].map((each) => each.close()));
    await sandbox.close();
  });

  it('sends a text part, an HTML part with the text escaped, and our headers', async () => {
    const text = 'Заказ №1042 <script>alert(1)</script>\nДоставка & "завтра"';
    const result = await adapter.send(anna, { type: 'text', text }, { messageId: 'msg-escape-1' });
    expect(result).toEqual({ ok: true, externalMessageId: expectedMessageId('msg-escape-1') });
    const entry = (await requests()).at(-1);
    expect(entry).toMatchObject({ method: 'DATA', path: 'noreply@shop.example → anna@mail.example' });
    const body = entry?.body as DataBody;
    expect(body.envelope).toEqual({ mailFrom: from, rcptTo: ['anna@mail.example'], user: 'shop-relay' });
    expect(body).toMatchObject({
      messageId: expectedMessageId('msg-escape-1'),
      subject: 'Заказ №1042 <script>alert(1)</script>',
      from: '"Магазин" <noreply@shop.example>',
      to: '"Анна Петрова" <anna@mail.example>',
      text,
    });
    expect(body.headers).toMatchObject({
      'x-vestnik-message-id': 'msg-escape-1',
      'auto-submitted': 'auto-generated',
    });
    expect(body.html).toContain(
      '<div>Заказ №1042 &lt;script&gt;alert(1)&lt;/script&gt;<br>\nДоставка &amp; &quot;завтра&quot;</div>',
    );
    expect(body.html).not.toMatch(/<script/i);
    const [received] = await receivedBy(expectedMessageId('msg-escape-1'));
    expect(received).toMatchObject({
      via: 'email',
      from,
      subject: body.subject,
      text,
      buttons: [],
      images: [],
    });
  });

  it('renders link buttons as <a href> in HTML and "label: URL" lines in the text part', async () => {
    const buttons: Button[] = [
      { kind: 'link', label: 'Отследить', url: 'https://shop.example/track?order=1042&lang=ru' },
      { kind: 'link', label: 'Отменить <заказ>', url: 'http://shop.example/cancel' },
    ];
    const result = await send('Заказ в пути', { buttons });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const body = await lastData();
    expect(body.text).toBe(
      'Заказ в пути\n\nОтследить: https://shop.example/track?order=1042&lang=ru\nОтменить <заказ>: http://shop.example/cancel',
    );
    expect(body.html).toMatch(
      /<a href="https:\/\/shop\.example\/track\?order=1042&amp;lang=ru" [^>]*>Отследить<\/a>/,
    );
    expect(body.html).toMatch(/<a href="http:\/\/shop\.example\/cancel" [^>]*>Отменить &lt;заказ&gt;<\/a>/);
    const [received] = await receivedBy(result.externalMessageId);
    expect(received?.buttons).toEqual([
      { kind: 'link', label: 'Отследить', url: 'https://shop.example/track?order=1042&lang=ru' },
      { kind: 'link', label: 'Отменить <заказ>', url: 'http://shop.example/cancel' },
    ]);
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<b>x</b>',
    '/relative/path',
    'ftp://shop.example/file',
    'not a url',
  ])('refuses a link button to %s before any SMTP traffic', async (url) => {
    const before = (await requests()).length;
    const result = await send('Ссылка', { buttons: [{ kind: 'link', label: 'Открыть', url }] });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'content-invalid', code: 'buttons.url' },
    });
    expect((await requests()).length).toBe(before);
  });

  it('uses options.subject, else the first non-empty line cut to 78 characters', async () => {
    await send('Текст письма', { subject: 'Ваш заказ №1042 подтверждён' });
    expect((await lastData()).subject).toBe('Ваш заказ №1042 подтверждён');
    const long = 'Очень длинная первая строка уведомления '.repeat(4);
    await send(`\n   \n${long}\nвторая строка`);
    const subject = (await lastData()).subject ?? '';
    expect([...subject]).toHaveLength(78);
    expect(subject).toBe(`${[...long.trim()].slice(0, 77).join('')}…`);
  });

  it('gives a retried send the same Message-ID, and the mailbox keeps one copy', async () => {
    const first = await adapter.send(anna, { type: 'text', text: 'Код 1234' }, { messageId: 'msg-retry-1' });
    const second = await adapter.send(anna, { type: 'text', text: 'Код 1234' }, { messageId: 'msg-retry-1' });
    const other = await adapter.send(anna, { type: 'text', text: 'Код 1234' }, { messageId: 'msg-retry-2' });
    expect(first).toEqual({ ok: true, externalMessageId: expectedMessageId('msg-retry-1') });
    expect(second).toEqual(first);
    expect(other).toEqual({ ok: true, externalMessageId: expectedMessageId('msg-retry-2') });
    const logged = (await requests()).filter(
      (request) => (request.body as DataBody).messageId === expectedMessageId('msg-retry-1'),
    );
    expect(logged).toHaveLength(2);
    expect(await receivedBy(expectedMessageId('msg-retry-1'))).toHaveLength(1);
  });

  it('attaches images inline and shows them by cid in the HTML', async () => {
    const result = await adapter.send(
      anna,
      {
        type: 'text',
        text: 'Ваш чек',
        images: [{ mimeType: 'image/jpeg', fileName: 'receipt.jpg', data: sampleJpeg }],
      },
      { messageId: nextId() },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const body = await lastData();
    expect(body.attachments).toEqual([
      {
        filename: 'receipt.jpg',
        contentType: 'image/jpeg',
        size: sampleJpeg.length,
        cid: expect.stringMatching(/^image1\.[0-9a-f]{16}@shop\.example$/),
        disposition: 'inline',
      },
    ]);
    expect(body.html).toContain(`<img src="cid:${body.attachments[0]?.cid}" alt="receipt.jpg"`);
    const [received] = await receivedBy(result.externalMessageId);
    expect(received?.images).toEqual([{ mimeType: 'image/jpeg', size: sampleJpeg.length }]);
  });

  it('threads a reply with In-Reply-To and References', async () => {
    await send('Ответ оператора', { replyToExternalId: '<question-1@mail.example>' });
    const body = await lastData();
    expect(body.inReplyTo).toBe('<question-1@mail.example>');
    expect(body.headers.references).toBe('<question-1@mail.example>');
  });

  it('refuses recipients that are not e-mail addresses without SMTP traffic', async () => {
    const before = (await requests()).length;
    const byPhone = await adapter.send(
      { kind: 'phone', phone: '+79161234567' },
      { type: 'text', text: 'x' },
      { messageId: nextId() },
    );
    const malformed = await adapter.send(
      { kind: 'email', address: 'not-an-address' },
      { type: 'text', text: 'x' },
      { messageId: nextId() },
    );
    for (const result of [byPhone, malformed]) {
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'recipient-invalid' },
      });
    }
    expect((await requests()).length).toBe(before);
  });

  it('has no webhooks', async () => {
    const result = await adapter.handleWebhook({
      method: 'POST',
      headers: {},
      query: {},
      rawBody: Buffer.from('{}'),
      remoteAddress: '127.0.0.1',
    });
    expect(result).toEqual({ outcome: 'rejected', status: 400, reason: 'e-mail has no webhooks' });
  });

  describe('SMTP replies mapped to failures', () => {
    it('550 5.1.1 at RCPT for an unknown mailbox → permanent no-account, no DATA', async () => {
      const dataBefore = (await requests()).filter((request) => request.method === 'DATA').length;
      const result = await adapter.send(
        { kind: 'email', address: 'ghost@mail.example' },
        { type: 'text', text: 'x' },
        { messageId: nextId() },
      );
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'no-account', code: 550 },
      });
      if (!result.ok && result.failure.kind === 'permanent')
        expect(result.failure.detail).toMatch(/^550 5\.1\.1 /);
      const all = await requests();
      expect(all.at(-1)).toMatchObject({ method: 'RCPT', path: 'noreply@shop.example → ghost@mail.example' });
      expect(all.filter((request) => request.method === 'DATA')).toHaveLength(dataBefore);
    });

    it('535 5.7.8 for a wrong password → connect() fails and send is permanent auth', async () => {
      const wrong = createAdapter({ password: 'wrong-password' });
      const connected = await wrong.connect();
      expect(connected).toMatchObject({ webhook: 'failed' });
      if (connected.webhook === 'failed') expect(connected.detail).toContain('535 5.7.8');
      const result = await wrong.send(anna, { type: 'text', text: 'x' }, { messageId: nextId() });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason: 'auth', code: 535 } });
      expect((await requests()).at(-1)).toMatchObject({ method: 'AUTH', path: 'shop-relay' });
    });

    it('530 when no login is configured → permanent auth', async () => {
      const anonymous = createAdapter({ user: undefined, password: undefined });
      const result = await anonymous.send(anna, { type: 'text', text: 'x' }, { messageId: nextId() });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason: 'auth', code: 530 } });
    });

    it('553 at MAIL FROM for a sender the login does not own → permanent not-allowed', async () => {
      const limited = await sandbox.control.createAccount<SmtpAccount>('email', {
        user: 'limited-relay',
        senders: ['billing@shop.example'],
      });
      const other = createAdapter({ user: limited.user, password: limited.password });
      const result = await other.send(anna, { type: 'text', text: 'x' }, { messageId: nextId() });
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'not-allowed', code: 553 },
      });
      expect((await requests()).at(-1)).toMatchObject({ method: 'MAIL', path: from });
    });

    it('450 4.2.1 throttling → rate-limited with the delay named in the reply', async () => {
      await sandbox.control.addFault({
        platform: 'email',
        kind: 'rate-limit',
        retryAfterSeconds: 30,
        count: 1,
      });
      const result = await send('Уведомление');
      expect(result).toEqual({
        ok: false,
        failure: { kind: 'rate-limited', retryAfterMs: 30_000, code: 450 },
      });
    });

    it('451 4.3.0 temporary server error → retryable, nothing delivered', async () => {
      await sandbox.control.addFault({ platform: 'email', kind: 'server-error', status: 503, count: 1 });
      const id = nextId();
      const result = await adapter.send(anna, { type: 'text', text: 'x' }, { messageId: id });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable', code: 451 } });
      if (!result.ok && result.failure.kind === 'retryable')
        expect(result.failure.reason).toMatch(/^451 4\.3\.0 /);
      expect(await receivedBy(expectedMessageId(id))).toEqual([]);
    });

    it('no answer to DATA within the request timeout → retryable ETIMEDOUT', async () => {
      const impatient = createAdapter({}, 500);
      await sandbox.control.addFault({ platform: 'email', kind: 'timeout', count: 1 });
      const id = nextId();
      const started = Date.now();
      const result = await impatient.send(anna, { type: 'text', text: 'x' }, { messageId: id });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable', code: 'ETIMEDOUT' } });
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(await receivedBy(expectedMessageId(id))).toEqual([]);
    });

    it('a slow DATA reply within the timeout still sends', async () => {
      await sandbox.control.addFault({ platform: 'email', kind: 'latency', ms: 300, count: 1 });
      const started = Date.now();
      const result = await send('Медленно, но верно');
      expect(result.ok).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    });

    it('a server that is not there → connect() fails and send is retryable', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as { port: number }).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const nowhere = createAdapter({ port });
      expect(await nowhere.connect()).toMatchObject({ webhook: 'failed' });
      const result = await nowhere.send(anna, { type: 'text', text: 'x' }, { messageId: nextId() });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable' } });
    });

    it('552 5.3.4 over the 25 MB message limit → content-too-long', async () => {
      const transport = nodemailer.createTransport({
        host: account.host,
        port: account.port,
        ignoreTLS: true,
        auth: { user: account.user, pass: account.password },
      });
      const error = await transport
        .sendMail({
          from,
          to: 'anna@mail.example',
          subject: 'big',
          text: 'big',
          attachments: [{ filename: 'big.bin', content: Buffer.alloc(20 * 1024 * 1024, 1) }],
        })
        .then(
          () => null,
          (failure: unknown) => failure,
        );
      transport.close();
      const failure = smtpFailureOf(error);
      expect(failure).toMatchObject({ responseCode: 552, response: expect.stringMatching(/^552 5\.3\.4 /) });
      expect(mapSmtpFailure(failure)).toMatchObject({
        failure: { kind: 'permanent', reason: 'content-too-long' },
      });
      expect((await requests()).at(-1)).toMatchObject({ method: 'DATA', body: { oversized: true } });
    });
  });
});
