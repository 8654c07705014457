import net, { type AddressInfo } from 'node:net';
import pino from 'pino';
import { PDU, type Session, connect as smppConnect } from 'smpp';
import type { ChannelAdapter, NormalizedEvent } from '../../adapters/contract';
import { smsAdapter } from '../../adapters/sms';
import { concatenationReference } from '../../adapters/sms/outbound-renderer';
import {
  eventually,
  type LoggedRequestJson,
  type SandboxUser,
  startTestSandbox,
  type TestSandbox,
} from './helpers/sandbox-control';

interface SmscAccountJson {
  systemId: string;
  password: string;
  host: string;
  port: number;
}

/** A TCP hop between adapter and SMSC that can cut the link and lists the command ids the adapter sent. */
class LinkProxy {
  readonly sentCommands: number[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((client) => this.pipe(client));
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readUInt32BE(0)) {
        this.sentCommands.push(pending.readUInt32BE(4));
        pending = pending.subarray(pending.readUInt32BE(0));
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  }
}

describe('sms: outbound PDUs, receipts, MO and SMSC rules', () => {
  let sandbox: TestSandbox;
  let account: SmscAccountJson;
  let adapter: ChannelAdapter;
  let user: SandboxUser;
  const events: NormalizedEvent[] = [];
  const adapters: ChannelAdapter[] = [];
  let sequence = 0;
  const messageId = (): string => `msg-sms-out-${++sequence}`;

  const createAdapter = async (overrides: Record<string, unknown> = {}): Promise<ChannelAdapter> => {
    const config = smsAdapter.configSchema.parse({
      host: account.host,
      port: account.port,
      systemId: account.systemId,
      password: account.password,
      sourceAddr: 'Vestnik',
      ...overrides,
    });
    const created = smsAdapter.create(config, {
      logger: pino({ level: 'silent' }),
      webhook: { url: 'http://127.0.0.1:9/unused', key: 'unused' },
      emit: async (emitted) => {
        events.push(...emitted);
      },
      requestTimeoutMs: 1_000,
    });
    adapters.push(created);
    return created;
  };
  const submits = async (): Promise<Array<Record<string, unknown>>> =>
    (await sandbox.control.requests('sms'))
      .filter((entry: LoggedRequestJson) => entry.method === 'submit_sm')
      .map((entry) => entry.body as Record<string, unknown>);
  const sendAndCollect = async (text: string, id = messageId()) => {
    const before = (await submits()).length;
    const result = await adapter.send(
      { kind: 'phone', phone: user.phone },
      { type: 'text', text },
      { messageId: id },
    );
    return { result, parts: (await submits()).slice(before), reference: concatenationReference(id) };
  };
  const hex = (...bytes: number[]): string => Buffer.from(bytes).toString('hex');

  beforeAll(async () => {
    sandbox = await startTestSandbox('sms-outbound');
    account = await sandbox.control.createAccount<SmscAccountJson>('sms', { throughputPerSecond: 1000 });
    adapter = await createAdapter();
    expect(await adapter.connect()).toEqual({ webhook: 'not-needed' });
    user = await sandbox.control.createUser({ phone: '+79161230002' });
  });
  afterAll(async () => {
    for (const created of adapters) await created.close();
    await sandbox.close();
  });
  afterEach(() => sandbox.control.clearFaults());

  it('sends 160 GSM-7 characters as one SMS: data_coding 0, no UDH, E.164 destination TON 1 / NPI 1', async () => {
    const text = `Kod: 1234 @£$¥ ${'x'.repeat(145)}`;
    expect([...text]).toHaveLength(160);
    const { result, parts } = await sendAndCollect(text);
    expect(result.ok).toBe(true);
    expect(parts).toEqual([
      expect.objectContaining({
        source_addr_ton: 5,
        source_addr_npi: 0,
        source_addr: 'Vestnik',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: '79161230002',
        esm_class: 0x00,
        registered_delivery: 1,
        data_coding: 0,
        validity_period: '',
        udh: null,
        text,
        octets: 160,
      }),
    ]);
  });

  it.each([
    [161, [153, 8]],
    [306, [153, 153]],
    [307, [153, 153, 1]],
  ])(
    'splits %i GSM-7 characters into parts of 153 with a concatenation UDH and esm_class 0x40',
    async (length, sizes) => {
      const { result, parts, reference } = await sendAndCollect('a'.repeat(length));
      expect(result.ok).toBe(true);
      expect(parts.map((part) => part.octets)).toEqual(sizes);
      parts.forEach((part, index) => {
        expect(part).toMatchObject({ esm_class: 0x40, data_coding: 0, registered_delivery: 1 });
        expect(part.udh).toBe(hex(0x05, 0x00, 0x03, reference, sizes.length, index + 1));
      });
    },
  );

  it('sends UCS-2 (data_coding 8): 70 characters in one SMS, 71 in parts of 67', async () => {
    const single = await sendAndCollect('ж'.repeat(70));
    expect(single.parts).toEqual([
      expect.objectContaining({ data_coding: 8, esm_class: 0, udh: null, octets: 140 }),
    ]);
    const split = await sendAndCollect('ж'.repeat(71));
    expect(split.parts.map((part) => [part.data_coding, part.octets, part.udh])).toEqual([
      [8, 134, hex(0x05, 0x00, 0x03, split.reference, 2, 1)],
      [8, 8, hex(0x05, 0x00, 0x03, split.reference, 2, 2)],
    ]);
  });

  it('counts GSM extension characters (€) as two septets and never splits one across parts', async () => {
    const eighty = await sendAndCollect('€'.repeat(80));
    expect(eighty.parts).toEqual([expect.objectContaining({ data_coding: 0, octets: 160, udh: null })]);
    const eightyOne = await sendAndCollect('€'.repeat(81));
    expect(eightyOne.parts.map((part) => part.octets)).toEqual([152, 10]);
    const boundary = await sendAndCollect(`${'a'.repeat(152)}€${'b'.repeat(10)}`);
    expect(boundary.parts.map((part) => part.text)).toEqual(['a'.repeat(152), `€${'b'.repeat(10)}`]);
    const received = await sandbox.control.received(user.id, 'sms');
    const message = received.find(
      (entry) => entry.messageId === (boundary.result.ok && boundary.result.externalMessageId),
    );
    expect(message).toMatchObject({ text: `${'a'.repeat(152)}€${'b'.repeat(10)}`, parts: 2, dataCoding: 0 });
  });

  it('refuses a UCS-2 text needing more than maxParts parts before any PDU, naming text.maxParts', async () => {
    const before = (await submits()).length;
    const result = await adapter.send(
      { kind: 'phone', phone: user.phone },
      { type: 'text', text: 'ж'.repeat(6 * 67 + 1) },
      { messageId: messageId() },
    );
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'content-too-long', code: 'text.maxParts' },
    });
    if (!result.ok && result.failure.kind === 'permanent')
      expect(result.failure.detail).toContain('text.maxParts');
    expect((await submits()).length).toBe(before);
    const fits = await sendAndCollect('ж'.repeat(6 * 67));
    expect(fits.parts).toHaveLength(6);
  });

  it('writes validity_period from ttlSeconds as SMPP relative time', async () => {
    const before = (await submits()).length;
    const startedAt = Date.now();
    await adapter.send(
      { kind: 'phone', phone: user.phone },
      { type: 'text', text: 'TTL' },
      { messageId: messageId(), ttlSeconds: 3_600 },
    );
    const [part] = (await submits()).slice(before);
    const validUntil = Date.parse(String(part?.validity_period));
    expect(Math.abs(validUntil - (startedAt + 3_600_000))).toBeLessThan(5_000);
  });

  it('maps the receipt of every part to the first part’s message id', async () => {
    const { result } = await sendAndCollect('b'.repeat(307));
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const receipts = await eventually(() => {
      const found = events.filter(
        (event) => event.type === 'status-update' && event.externalMessageId === result.externalMessageId,
      );
      return found.length === 3 ? found : undefined;
    }, 'three part receipts');
    expect(receipts.map((event) => event.type === 'status-update' && event.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
    expect(new Set(receipts.map((event) => event.eventKey)).size).toBe(3);
    for (const event of receipts) expect(event.eventKey).toMatch(/^dlr:[0-9a-f]{10}:DELIVRD$/);
  });

  it('reports a number nobody has as undelivered (UNDELIV err:001)', async () => {
    const result = await adapter.send(
      { kind: 'phone', phone: '+79990000000' },
      { type: 'text', text: 'Nobody home' },
      { messageId: messageId() },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const event = await eventually(
      () =>
        events.find(
          (candidate) =>
            candidate.type === 'status-update' && candidate.externalMessageId === result.externalMessageId,
        ),
      'an undelivered receipt',
    );
    expect(event).toMatchObject({ status: 'undelivered', reason: expect.stringContaining('err:001') });
  });

  it.each([
    [
      { kind: 'rate-limit', retryAfterSeconds: 7 },
      { kind: 'rate-limited', retryAfterMs: 1_000, code: 'ESME_RTHROTTLED' },
    ],
    [
      { kind: 'server-error', status: 503 },
      { kind: 'retryable', code: 'ESME_RSYSERR' },
    ],
    [{ kind: 'timeout' }, { kind: 'retryable', code: 'timeout' }],
  ])('maps the SMSC answer to fault %j as %j', async (fault, failure) => {
    await sandbox.control.addFault({ platform: 'sms', count: 1, ...fault });
    const { result } = await sendAndCollect('Fault');
    expect(result).toEqual({ ok: false, failure: expect.objectContaining(failure) });
  });

  it('refuses a recipient that is not an E.164 phone before any PDU', async () => {
    const result = await adapter.send(
      { kind: 'phone', phone: '89161234567' },
      { type: 'text', text: 'x' },
      { messageId: messageId() },
    );
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason: 'recipient-invalid' } });
  });

  it('reassembles a concatenated MO message into one inbound-message from +<source_addr>', async () => {
    const text = `${'Длинный ответ клиента. '.repeat(5)}Конец`;
    await sandbox.control.userMessage(user.id, { platform: 'sms', text });
    const event = await eventually(
      () => events.find((candidate) => candidate.type === 'inbound-message' && candidate.text === text),
      'the reassembled MO message',
    );
    expect(event).toMatchObject({
      from: { externalUserId: user.phone, phone: user.phone },
      conversationId: user.phone,
    });
    expect(
      events.filter(
        (candidate) => candidate.type === 'inbound-message' && candidate.text.includes('Длинный'),
      ),
    ).toHaveLength(1);
  });

  it('gives a re-delivered MO (duplicate deliver_sm) the same event key', async () => {
    await sandbox.control.addFault({ platform: 'sms', kind: 'duplicate-callbacks', times: 3, count: 1 });
    const text = `Да ${messageId()}`;
    await sandbox.control.userMessage(user.id, { platform: 'sms', text });
    const copies = await eventually(() => {
      const found = events.filter(
        (candidate) => candidate.type === 'inbound-message' && candidate.text === text,
      );
      return found.length === 3 ? found : undefined;
    }, 'three deliveries');
    expect(new Set(copies.map((event) => event.eventKey)).size).toBe(1);
  });

  it('answers webhooks with 400: SMPP has no HTTP ingress', async () => {
    const result = await adapter.handleWebhook({
      method: 'POST',
      headers: {},
      query: {},
      rawBody: Buffer.from('{}'),
      remoteAddress: '127.0.0.1',
    });
    expect(result).toEqual({ outcome: 'rejected', status: 400, reason: 'SMPP delivers over the bind' });
  });

  it('keeps the bind alive with enquire_link and rebinds after the SMSC link drops', async () => {
    const proxy = new LinkProxy({ host: account.host, port: account.port });
    await proxy.start();
    const linked = await createAdapter({ port: proxy.port, enquireLinkSeconds: 5 });
    expect(await linked.connect()).toEqual({ webhook: 'not-needed' });
    await eventually(() => (proxy.sentCommands.includes(0x15) ? true : undefined), 'an enquire_link', 7_000);
    proxy.cut();
    const failed = await linked.send(
      { kind: 'phone', phone: user.phone },
      { type: 'text', text: 'x' },
      { messageId: messageId() },
    );
    expect(failed).toMatchObject({ ok: false, failure: { kind: 'retryable' } });
    await eventually(
      () => (proxy.sentCommands.filter((id) => id === 0x09).length === 2 ? true : undefined),
      'a second bind_transceiver',
      5_000,
    );
    const result = await eventually(async () => {
      const attempt = await linked.send(
        { kind: 'phone', phone: user.phone },
        { type: 'text', text: 'After reconnect' },
        { messageId: messageId() },
      );
      return attempt.ok ? attempt : undefined;
    }, 'a send after the rebind');
    const received = await sandbox.control.received(user.id, 'sms');
    expect(received.map((entry) => entry.messageId)).toContain(result.externalMessageId);
    await linked.close();
    expect(proxy.sentCommands).toContain(0x06);
    await proxy.close();
  }, 20_000);

  it('reports a refused bind from connect() and sends as permanent auth', async () => {
    const wrong = await createAdapter({ password: 'wrong' });
    expect(await wrong.connect()).toEqual({
      webhook: 'failed',
      detail: 'the SMSC refused the bind: ESME_RINVPASWD',
    });
    const result = await wrong.send(
      { kind: 'phone', phone: user.phone },
      { type: 'text', text: 'x' },
      { messageId: messageId() },
    );
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'auth', code: 'ESME_RINVPASWD' },
    });
  });

  describe('SMSC rules, over a raw SMPP session', () => {
    let session: Session;
    const call = (command: string, fields: Record<string, unknown>): Promise<PDU> =>
      new Promise((resolve) => session.send(new PDU(command, fields), resolve));
    const submit = (fields: Record<string, unknown>) =>
      call('submit_sm', {
        destination_addr: '79161230002',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        data_coding: 0,
        short_message: 'Hi',
        ...fields,
      });

    beforeAll(async () => {
      session = smppConnect({ host: account.host, port: account.port });
      await new Promise<void>((resolve) => session.once('connect', () => resolve()));
    });
    afterAll(() => session.destroy());

    it('answers submit_sm before a bind with ESME_RINVBNDSTS and an unknown system_id with ESME_RINVSYSID', async () => {
      expect((await submit({})).command_status).toBe(0x04);
      expect((await call('bind_transceiver', { system_id: 'nobody', password: 'x' })).command_status).toBe(
        0x0f,
      );
      expect(
        (await call('bind_transceiver', { system_id: account.systemId, password: account.password }))
          .command_status,
      ).toBe(0);
      expect(
        (await call('bind_transceiver', { system_id: account.systemId, password: account.password }))
          .command_status,
      ).toBe(0x05);
    });

    it.each([
      ['a non-numeric destination', { destination_addr: 'abc' }, 0x0b],
      [
        'an alphanumeric sender over 11 characters',
        { source_addr: 'TwelveChars!', source_addr_ton: 5 },
        0x0a,
      ],
      ['161 unpacked GSM septets in one SMS', { short_message: Buffer.alloc(161, 0x61) }, 0x01],
      ['71 UCS-2 characters in one SMS', { data_coding: 8, short_message: Buffer.alloc(142, 0x04) }, 0x01],
    ])('refuses %s', async (_what, fields, status) => {
      expect((await submit(fields)).command_status).toBe(status);
    });

    it('throttles submits beyond the account throughput with ESME_RTHROTTLED', async () => {
      const slow = await sandbox.control.createAccount<SmscAccountJson>('sms', { throughputPerSecond: 2 });
      const other = smppConnect({ host: slow.host, port: slow.port });
      await new Promise<void>((resolve) => other.once('connect', () => resolve()));
      const ask = (command: string, fields: Record<string, unknown>): Promise<PDU> =>
        new Promise((resolve) => other.send(new PDU(command, fields), resolve));
      await ask('bind_transmitter', { system_id: slow.systemId, password: slow.password });
      const fields = {
        destination_addr: '79161230002',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        data_coding: 0,
        short_message: 'x',
      };
      const statuses = await Promise.all([1, 2, 3].map(() => ask('submit_sm', fields)));
      other.destroy();
      expect(statuses.map((pdu) => pdu.command_status)).toEqual([0, 0, 0x58]);
    });
  });
});
