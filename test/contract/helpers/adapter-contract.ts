import type { ChannelAdapter, OutboundContent, Recipient } from '../../../adapters/contract';
import {
  eventually,
  type SandboxControl,
  type SandboxUser,
  startTestSandbox,
  type TestSandbox,
} from './sandbox-control';
import { type CapturedWebhook, WebhookReceiver } from './webhook-receiver';

export interface ContractEnvironment {
  sandbox: TestSandbox;
  control: SandboxControl;
  /** This test's webhook URL and per-channel key, plus `emit` for push channels. */
  receiver: WebhookReceiver;
}

/**
 * What each channel's contract test provides. Everything else — the cases — is shared, so every
 * adapter is held to the same behaviour.
 */
export interface ContractSpec {
  /** Simulator name in the sandbox (faults and request logs are kept under it). */
  simulator: string;
  /** Platform under which the virtual user's received messages are listed. */
  receivedOn: string;
  /** Creates the business account in the sandbox and the adapter pointed at it; must call `adapter.connect()`. */
  createAdapter(env: ContractEnvironment): Promise<ChannelAdapter>;
  /** Creates a virtual user who may be messaged, and how to address them. */
  createRecipient(
    env: ContractEnvironment,
  ): Promise<{ user: SandboxUser; recipient: Recipient; externalUserId: string }>;
  /** Returns a copy of a genuine webhook whose signature / secret no longer matches. `null`: not a webhook channel. */
  tamper: ((request: CapturedWebhook) => CapturedWebhook) | null;
  /** Retry delay the adapter should report for the sandbox `rate-limit` fault with `retryAfterSeconds: 7`. */
  expectedRetryAfterMs: number;
  /** Content for the "send text" case; defaults to a plain text message. */
  textContent?: OutboundContent;
}

export function describeAdapterContract(name: string, spec: ContractSpec): void {
  describe(`${name}: channel adapter contract`, () => {
    const env = {} as ContractEnvironment;
    let adapter: ChannelAdapter;
    let user: SandboxUser;
    let recipient: Recipient;
    let externalUserId: string;
    let sequence = 0;
    const nextId = (): string => `msg-${name}-${Date.now()}-${++sequence}`;
    const waitForEvent: WebhookReceiver['waitFor'] = (type, matches, since) =>
      env.receiver.waitFor(type, matches, since);
    const sendText = (text = 'Ваш заказ №1042 передан в доставку') =>
      adapter.send(recipient, spec.textContent ?? { type: 'text', text }, { messageId: nextId() });

    beforeAll(async () => {
      env.sandbox = await startTestSandbox(`contract-${name}`);
      env.control = env.sandbox.control;
      env.receiver = new WebhookReceiver();
      await env.receiver.start();
      adapter = await spec.createAdapter(env);
      env.receiver.adapter = adapter;
      ({ user, recipient, externalUserId } = await spec.createRecipient(env));
    });
    afterAll(async () => {
      await adapter?.close();
      await env.receiver?.close();
      await env.sandbox?.close();
    });
    afterEach(() => env.control.clearFaults());

    it('sends text and returns the platform message id the user received', async () => {
      const result = await sendText();
      if (!result.ok) throw new Error(`send failed: ${JSON.stringify(result.failure)}`);
      const received = await env.control.received(user.id, spec.receivedOn);
      expect(received.map((message) => message.messageId)).toContain(result.externalMessageId);
    });

    it('sends buttons where the channel has them', async () => {
      const caps = adapter.capabilities;
      if (!caps.buttons) return expect(caps.buttons).toBeNull();
      const kind = caps.buttons.kinds.includes('callback') ? 'callback' : (caps.buttons.kinds[0] ?? 'reply');
      const buttons = (
        kind === 'link'
          ? [
              { kind, label: 'Да', url: 'https://example.com/confirm' },
              { kind, label: 'Нет', url: 'https://example.com/deny' },
            ]
          : [
              { kind, label: 'Да', payload: 'confirm' },
              { kind, label: 'Нет', payload: 'deny' },
            ]
      ) as OutboundContent['buttons'];
      const result = await adapter.send(
        recipient,
        { type: 'text', text: 'Подтвердите операцию', buttons },
        { messageId: nextId() },
      );
      if (!result.ok) throw new Error(`send failed: ${JSON.stringify(result.failure)}`);
      const received = await env.control.received(user.id, spec.receivedOn);
      const message = received.find((entry) => entry.messageId === result.externalMessageId);
      expect(message?.buttons.map((button) => button.label)).toEqual(['Да', 'Нет']);
    });

    it('refuses over-limit content before any request, naming the limit', async () => {
      const before = (await env.control.requests(spec.simulator)).length;
      const text = 'я'.repeat(adapter.capabilities.text.maxLength + 1);
      const result = await adapter.send(recipient, { type: 'text', text }, { messageId: nextId() });
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', reason: 'content-too-long', code: 'text.maxLength' },
      });
      if (!result.ok)
        expect(result.failure.kind === 'permanent' && result.failure.detail).toContain('text.maxLength');
      expect((await env.control.requests(spec.simulator)).length).toBe(before);
    });

    it('maps an inbound text message to an inbound-message event', async () => {
      if (!adapter.capabilities.inbound) return expect(adapter.capabilities.inbound).toBe(false);
      const text = `Где мой заказ? ${nextId()}`;
      await env.control.userMessage(user.id, { platform: spec.simulator, text });
      const event = await waitForEvent('inbound-message', (candidate) => candidate.text === text);
      expect(event.from.externalUserId).toBe(externalUserId);
      expect(event.eventKey).toBeTruthy();
    });

    it('maps a button press to its payload', async () => {
      const caps = adapter.capabilities;
      if (!caps.buttons || !caps.inbound) return expect(caps.buttons === null || !caps.inbound).toBe(true);
      const kind = caps.buttons.kinds.includes('callback') ? 'callback' : (caps.buttons.kinds[0] ?? 'reply');
      const payload = `pay-${nextId()}`;
      const buttons = [{ kind, label: 'Оплатить', payload }] as OutboundContent['buttons'];
      const result = await adapter.send(
        recipient,
        { type: 'text', text: 'Счёт готов', buttons },
        { messageId: nextId() },
      );
      if (!result.ok) throw new Error(`send failed: ${JSON.stringify(result.failure)}`);
      await env.control.pressButton(user.id, {
        platform: spec.simulator,
        messageId: result.externalMessageId,
        button: 'Оплатить',
      });
      const pressed = await eventually(
        () =>
          env.receiver.events.find(
            (event) =>
              (event.type === 'button-press' && event.payload === payload) ||
              (event.type === 'inbound-message' && event.buttonPayload === payload),
          ),
        'a button press',
      );
      if (pressed.type === 'button-press') await adapter.acknowledgeButton?.(pressed);
    });

    it('maps delivery and read receipts to status updates', async () => {
      const { reports } = adapter.capabilities;
      if (!reports.delivered && !reports.read)
        return expect(reports).toEqual({ delivered: false, read: false });
      const result = await sendText();
      if (!result.ok) throw new Error(`send failed: ${JSON.stringify(result.failure)}`);
      if (reports.read)
        await env.control.read(user.id, {
          platform: spec.simulator,
          messageId: result.externalMessageId,
        });
      // Every reported status: a receipt still on its way would take the next case's callback fault.
      const wanted = (['delivered', 'read'] as const).filter((status) => reports[status]);
      for (const status of wanted)
        await waitForEvent(
          'status-update',
          (event) => event.externalMessageId === result.externalMessageId && event.status === status,
        );
    });

    it('rejects a webhook with a bad signature or secret, returning no events', async () => {
      if (!spec.tamper)
        return expect(adapter.capabilities.inbound || adapter.capabilities.reports.delivered).toBeDefined();
      const genuine = env.receiver.requests.at(-1);
      if (!genuine) throw new Error('no webhook captured yet');
      const result = await adapter.handleWebhook(spec.tamper(genuine));
      expect(result.outcome).toBe('rejected');
      if (result.outcome === 'rejected') expect([401, 403]).toContain(result.status);
      const missing = await adapter.handleWebhook({ ...genuine, headers: {}, query: {} });
      expect(missing.outcome).toBe('rejected');
    });

    it('gives the same event key to a webhook delivered five times at once', async () => {
      if (!adapter.capabilities.inbound || !spec.tamper)
        return expect(spec.tamper === null || !adapter.capabilities.inbound).toBe(true);
      await env.control.addFault({
        platform: spec.simulator,
        kind: 'duplicate-callbacks',
        times: 5,
        count: 1,
      });
      const text = `Дубль ${nextId()}`;
      await env.control.userMessage(user.id, { platform: spec.simulator, text });
      const copies = await eventually(() => {
        const found = env.receiver.events.filter(
          (event) => event.type === 'inbound-message' && event.text === text,
        );
        return found.length >= 5 ? found : undefined;
      }, 'five deliveries');
      expect(new Set(copies.map((event) => event.eventKey)).size).toBe(1);
    });

    it('reports the platform rate limit as rate-limited with its delay', async () => {
      await env.control.addFault({
        platform: spec.simulator,
        kind: 'rate-limit',
        retryAfterSeconds: 7,
        count: 1,
      });
      const result = await sendText();
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'rate-limited', retryAfterMs: spec.expectedRetryAfterMs },
      });
    });

    it('reports a platform outage as retryable', async () => {
      await env.control.addFault({ platform: spec.simulator, kind: 'server-error', status: 502, count: 1 });
      const result = await sendText();
      expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable' } });
    });

    it('withdraws a sent message where the platform allows it', async () => {
      if (!adapter.capabilities.withdraw || !adapter.withdraw)
        return expect(adapter.capabilities.withdraw).toBe(false);
      const result = await sendText();
      if (!result.ok) throw new Error(`send failed: ${JSON.stringify(result.failure)}`);
      expect(await adapter.withdraw({ externalMessageId: result.externalMessageId, recipient })).toEqual({
        ok: true,
      });
      const received = await env.control.received(user.id, spec.receivedOn);
      expect(received.find((message) => message.messageId === result.externalMessageId)?.status).toBe(
        'deleted',
      );
    });

    // Last: the user ends unblocked, but no later case has to rely on it.
    it('maps the user blocking and unblocking to opt-out and opt-in', async () => {
      const sinceBlock = env.receiver.events.length;
      const refusal = await env.control.block(user.id, spec.simulator).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      // Where the platform tells the business nothing (OK, WhatsApp, SMS, e-mail, the gateway).
      if (refusal !== null)
        return expect(refusal).toMatch(
          new RegExp(`→ 422: .*"detail":"${spec.simulator} has no block notifications"`),
        );
      let sinceUnblock = sinceBlock;
      try {
        await waitForEvent('opt-out', (event) => event.from.externalUserId === externalUserId, sinceBlock);
        const result = await sendText();
        expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent' } });
        if (!result.ok && result.failure.kind === 'permanent')
          expect(['blocked', 'not-allowed']).toContain(result.failure.reason);
      } finally {
        sinceUnblock = env.receiver.events.length;
        await env.control.unblock(user.id, spec.simulator);
      }
      await waitForEvent('opt-in', (event) => event.from.externalUserId === externalUserId, sinceUnblock);
      const again = await sendText();
      if (!again.ok) throw new Error(`send after unblocking failed: ${JSON.stringify(again.failure)}`);
    });
  });
}
