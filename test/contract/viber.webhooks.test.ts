import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { ChannelAdapter, NormalizedEvent, WebhookRequest } from '../../adapters/contract';
import { viberAdapter } from '../../adapters/viber';
import { ViberSimulator } from '../../src/sandbox/platforms/viber';
import type { VirtualUser } from '../../src/sandbox/virtual-users';
import { eventually, type SandboxUser, startTestSandbox, type TestSandbox } from './helpers/sandbox-control';
import { WebhookReceiver } from './helpers/webhook-receiver';

/** Viber callbacks: signatures, event mapping, user actions, media download, retries. */
describe('viber: webhooks and user actions', () => {
  let sandbox: TestSandbox;
  let receiver: WebhookReceiver;
  let adapter: ChannelAdapter;
  let authToken: string;
  let simulator: ViberSimulator;
  let phoneSequence = 2000;

  const makeAdapter = (token: string, webhookUrl: string): ChannelAdapter =>
    viberAdapter.create(
      viberAdapter.configSchema.parse({
        authToken: token,
        botName: 'Vestnik',
        apiBaseUrl: `${sandbox.sandbox.url}/viber/pa`,
      }),
      {
        logger: pino({ level: 'silent' }),
        webhook: { url: webhookUrl, key: 'unused' },
        emit: receiver.emit,
        requestTimeoutMs: 2_000,
      },
    );
  const newUser = (extra: Record<string, unknown> = {}): Promise<SandboxUser> =>
    sandbox.control.createUser({
      phone: `+7916555${++phoneSequence}`,
      name: 'Вера',
      accounts: { viber: true },
      ...extra,
    });
  const virtual = (user: SandboxUser): VirtualUser => {
    const found = sandbox.sandbox.context.users.get(user.id);
    if (!found) throw new Error(`no virtual user ${user.id}`);
    return found;
  };
  const viberIdOf = (user: SandboxUser): string => user.accounts.viber?.id ?? '';
  const waitFor = <T extends NormalizedEvent>(
    what: string,
    matches: (event: NormalizedEvent) => event is T,
  ): Promise<T> => eventually(() => receiver.events.find(matches), what);
  const signed = (body: string, token = authToken): WebhookRequest => ({
    method: 'POST',
    headers: { 'x-viber-content-signature': createHmac('sha256', token).update(body).digest('hex') },
    query: {},
    rawBody: Buffer.from(body),
    remoteAddress: '127.0.0.1',
  });
  const delivered =
    '{"event":"delivered","timestamp":1457764197627,"message_token":5741311803571721087,"user_id":"01234567890A="}';

  beforeAll(async () => {
    sandbox = await startTestSandbox('viber-webhooks');
    const platform = sandbox.sandbox.platforms.get('viber');
    if (!(platform instanceof ViberSimulator)) throw new Error('the viber simulator is not running');
    simulator = platform;
    receiver = new WebhookReceiver();
    await receiver.start();
    ({ authToken } = await sandbox.control.createAccount<{ authToken: string }>('viber', {
      name: 'Webhook Bot',
    }));
    adapter = makeAdapter(authToken, receiver.url);
    receiver.adapter = adapter;
    expect(await adapter.connect()).toEqual({ webhook: 'registered' });
  });
  afterAll(async () => {
    await receiver?.close();
    await sandbox?.close();
  });

  describe('signature verification', () => {
    it('accepts the signature in X-Viber-Content-Signature, in any header case, or in ?sig=', async () => {
      const request = signed(delivered);
      const signature = request.headers['x-viber-content-signature'] ?? '';
      for (const variant of [
        request,
        { ...request, headers: { 'X-Viber-Content-Signature': signature.toUpperCase() } },
        { ...request, headers: {}, query: { sig: signature } },
      ]) {
        const result = await adapter.handleWebhook(variant);
        expect(result).toMatchObject({ outcome: 'accepted', response: { status: 200 } });
        expect(result.outcome === 'accepted' && result.events[0]).toMatchObject({
          eventKey: 'delivered:5741311803571721087',
          externalMessageId: '5741311803571721087',
        });
      }
    });

    it('answers 401 without a signature and 403 for a wrong, malformed or foreign one', async () => {
      const request = signed(delivered);
      expect(await adapter.handleWebhook({ ...request, headers: {} })).toMatchObject({
        outcome: 'rejected',
        status: 401,
      });
      expect(
        await adapter.handleWebhook({ ...request, headers: { 'x-viber-content-signature': 'not-hex' } }),
      ).toMatchObject({ outcome: 'rejected', status: 403 });
      expect(await adapter.handleWebhook(signed(delivered, 'another-bot-token-0000'))).toMatchObject({
        outcome: 'rejected',
        status: 403,
      });
      expect(
        await adapter.handleWebhook({ ...request, rawBody: Buffer.from(delivered.replace('0A=', '0B=')) }),
      ).toMatchObject({
        outcome: 'rejected',
        status: 403,
      });
    });

    it('answers 400 to signed bodies that are not Viber callbacks, and to GET', async () => {
      for (const body of [
        'not json',
        '[1]',
        '{"timestamp":1}',
        '{"event":"message","timestamp":1,"message_token":1}',
      ]) {
        expect(await adapter.handleWebhook(signed(body))).toMatchObject({ outcome: 'rejected', status: 400 });
      }
      expect(await adapter.handleWebhook({ ...signed(delivered), method: 'GET' })).toMatchObject({
        outcome: 'rejected',
        status: 400,
      });
    });

    it('accepts an event it does not handle with 200 and no events, so Viber stops retrying', async () => {
      const result = await adapter.handleWebhook(
        signed('{"event":"client_status","timestamp":1,"message_token":1}'),
      );
      expect(result).toEqual({
        outcome: 'accepted',
        events: [],
        response: { status: 200, contentType: 'application/json', body: '{}' },
      });
    });
  });

  it('delivers a user photo whose bytes download exactly, under the size limit only', async () => {
    const user = await newUser();
    const bytes = randomBytes(3000);
    await sandbox.control.userMessage(user.id, {
      platform: 'viber',
      text: 'Вот чек',
      attachment: { kind: 'photo', contentBase64: bytes.toString('base64'), fileName: 'receipt.jpg' },
    });
    const event = await waitFor(
      'the photo message',
      (candidate): candidate is Extract<NormalizedEvent, { type: 'inbound-message' }> =>
        candidate.type === 'inbound-message' && candidate.text === 'Вот чек',
    );
    expect(event.attachments).toEqual([
      { kind: 'photo', fileRef: expect.stringMatching(/^http:/), fileName: 'receipt.jpg', size: 3000 },
    ]);
    const fileRef = event.attachments[0]?.kind === 'photo' ? event.attachments[0].fileRef : '';
    const download = await adapter.downloadAttachment?.(fileRef, 1_000_000);
    expect(download).toEqual({ ok: true, file: { data: bytes, mimeType: 'image/jpeg' } });
    expect(await adapter.downloadAttachment?.(fileRef, 100)).toMatchObject({
      ok: false,
      reason: 'too-large',
    });
    expect(await adapter.downloadAttachment?.('viber-sticker:5536', 100)).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
  });

  it('delivers a document as a Viber file message with its name', async () => {
    const user = await newUser();
    const bytes = Buffer.from('%PDF-1.4 sandbox');
    const { messageId } = await sandbox.control.userMessage(user.id, {
      platform: 'viber',
      attachment: {
        kind: 'document',
        contentBase64: bytes.toString('base64'),
        fileName: 'act.pdf',
        mimeType: 'application/pdf',
      },
    });
    const event = await waitFor(
      'the file message',
      (candidate): candidate is Extract<NormalizedEvent, { type: 'inbound-message' }> =>
        candidate.type === 'inbound-message' && candidate.externalMessageId === messageId,
    );
    expect(event.attachments).toMatchObject([{ kind: 'document', fileName: 'act.pdf', size: bytes.length }]);
    const fileRef = event.attachments[0]?.kind === 'document' ? event.attachments[0].fileRef : '';
    expect(await adapter.downloadAttachment?.(fileRef, 1_000)).toMatchObject({
      ok: true,
      file: { data: bytes },
    });
  });

  it('refuses what Viber cannot carry from a user: voice, captions on files, reply references', async () => {
    const user = await newUser();
    const attempts = [
      { platform: 'viber', attachment: { kind: 'voice' } },
      { platform: 'viber', text: 'подпись', attachment: { kind: 'document' } },
      { platform: 'viber', text: 'ответ', replyTo: '5741311803571721087' },
    ];
    for (const attempt of attempts)
      await expect(sandbox.control.userMessage(user.id, attempt)).rejects.toThrow(/422/);
  });

  it('maps subscribe to opt-in and unsubscribe to opt-out; sending after unsubscribing fails with status 6', async () => {
    const user = await newUser({ accounts: { viber: { reachable: false } } });
    await simulator.subscribe(virtual(user));
    await waitFor(
      'an opt-in',
      (event): event is NormalizedEvent =>
        event.type === 'opt-in' && event.from.externalUserId === viberIdOf(user),
    );
    const send = () =>
      adapter.send(
        { kind: 'user', externalUserId: viberIdOf(user) },
        { type: 'text', text: 'Привет' },
        { messageId: 'm' },
      );
    expect((await send()).ok).toBe(true);
    await simulator.unsubscribe(virtual(user));
    await waitFor(
      'an opt-out',
      (event): event is NormalizedEvent =>
        event.type === 'opt-out' && event.from.externalUserId === viberIdOf(user),
    );
    expect(await send()).toMatchObject({ ok: false, failure: { reason: 'not-allowed', code: 6 } });
  });

  it('answers conversation_started with 200 and records no event', async () => {
    const user = await newUser();
    const before = receiver.events.length;
    await simulator.openConversation(virtual(user), { context: 'promo-42' });
    const last = receiver.requests.at(-1);
    expect(last?.rawBody.toString()).toContain('"event":"conversation_started"');
    expect(last?.rawBody.toString()).toContain('"context":"promo-42"');
    // Callbacks of earlier tests (delivered, retries) may still arrive: look only at this user.
    const fromUser = receiver.events
      .slice(before)
      .filter((event) => 'from' in event && event.from.externalUserId === viberIdOf(user));
    expect(fromUser).toEqual([]);
  });

  it('reports reads as seen, by the control API and by the user’s own read delay', async () => {
    const reader = await newUser();
    const first = await adapter.send(
      { kind: 'user', externalUserId: viberIdOf(reader) },
      { type: 'text', text: 'Один' },
      { messageId: 'r1' },
    );
    if (!first.ok) throw new Error(JSON.stringify(first.failure));
    await sandbox.control.read(reader.id, { platform: 'viber' });
    await waitFor(
      'seen',
      (event): event is NormalizedEvent =>
        event.type === 'status-update' &&
        event.status === 'read' &&
        event.externalMessageId === first.externalMessageId,
    );
    expect((await sandbox.control.received(reader.id, 'viber'))[0]?.status).toBe('read');

    const quick = await newUser({ readDelayMs: 50 });
    const second = await adapter.send(
      { kind: 'user', externalUserId: viberIdOf(quick) },
      { type: 'text', text: 'Два' },
      { messageId: 'r2' },
    );
    if (!second.ok) throw new Error(JSON.stringify(second.failure));
    await waitFor(
      'automatic seen',
      (event): event is NormalizedEvent =>
        event.type === 'status-update' &&
        event.status === 'read' &&
        event.externalMessageId === second.externalMessageId,
    );
  });

  it('sends nothing to the bot when the user opens a link button', async () => {
    const user = await newUser();
    const result = await adapter.send(
      { kind: 'user', externalUserId: viberIdOf(user) },
      {
        type: 'text',
        text: 'Трекинг',
        buttons: [{ kind: 'link', label: 'Открыть', url: 'https://shop.example/t/1' }],
      },
      { messageId: 'link' },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const before = receiver.requests.length;
    await sandbox.control.pressButton(user.id, {
      platform: 'viber',
      messageId: result.externalMessageId,
      button: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      receiver.requests.slice(before).filter((request) => request.rawBody.includes('"event":"message"')),
    ).toEqual([]);
  });

  it('fails to connect when the webhook does not answer Viber’s check with 200', async () => {
    const silent = new WebhookReceiver();
    await silent.start();
    try {
      const bot = await sandbox.control.createAccount<{ authToken: string }>('viber', {
        name: 'Unreachable Bot',
      });
      const result = await makeAdapter(bot.authToken, silent.url).connect();
      expect(result).toMatchObject({ webhook: 'failed', detail: expect.stringContaining('invalidUrl') });
    } finally {
      await silent.close();
    }
  });

  it('retries a callback that did not get a 200, with the same bytes', async () => {
    const bodies: string[] = [];
    const flaky = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (body.includes('"event":"message"')) bodies.push(body);
        res.writeHead(body.includes('"event":"message"') && bodies.length === 1 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    try {
      const bot = await sandbox.control.createAccount<{ authToken: string; uri: string }>('viber', {
        name: 'Flaky Bot',
      });
      const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/viber`;
      expect(await makeAdapter(bot.authToken, url).connect()).toEqual({ webhook: 'registered' });
      const user = await newUser();
      await sandbox.control.userMessage(user.id, { platform: 'viber', text: 'Повтори', to: bot.uri });
      await eventually(() => (bodies.length >= 2 ? bodies : undefined), 'a retried callback', 5_000);
      expect(bodies[1]).toBe(bodies[0]);
    } finally {
      flaky.closeAllConnections();
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });
});
