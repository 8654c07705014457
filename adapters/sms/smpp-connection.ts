import { connect, PDU, type Session } from 'smpp';
import type { AdapterLogger } from '../contract';
import { commandStatus } from './error-mapping';
import { reconnectDelayMs, reconnectPolicy } from './reconnect-backoff';

/** How the first bind went (what `connect()` reports). */
export type BindOutcome =
  | { kind: 'bound' }
  | { kind: 'refused'; status: number }
  | { kind: 'unreachable'; reason: string };

/** What became of one request PDU. */
export type RequestOutcome =
  | { kind: 'response'; pdu: PDU }
  | { kind: 'timeout' }
  | { kind: 'not-bound'; refusedStatus: number | null }
  | { kind: 'connection-lost' };

export interface SmppConnectionOptions {
  host: string;
  port: number;
  bind: { system_id: string; password: string; system_type: string };
  enquireLinkMs: number;
  requestTimeoutMs: number;
  logger: AdapterLogger;
  /** Handles a deliver_sm; its deliver_sm_resp is sent only after this resolves. */
  onDeliver(pdu: PDU): Promise<void>;
}

type Settle = (outcome: RequestOutcome) => void;

/** ESME Receiver Temporary App Error: the SMSC keeps the message and delivers it again (§5.1.3). */
const temporaryAppError = 0x64;
const bindRefusals: readonly number[] = [
  commandStatus.ESME_RINVPASWD,
  commandStatus.ESME_RINVSYSID,
  commandStatus.ESME_RBINDFAIL,
];

/**
 * One SMPP 3.4 transceiver bind, kept alive: bind_transceiver on connect, enquire_link every
 * `enquireLinkMs` (a missing enquire_link_resp drops the link), reconnect + rebind with backoff on
 * close or error, unbind on `close()`. Requests are matched to responses by sequence number and time
 * out after `requestTimeoutMs`; requests in flight when the link drops resolve `connection-lost`.
 */
export class SmppConnection {
  private session: Session | null = null;
  private bound = false;
  private closing = false;
  private refusedStatus: number | null = null;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Set<Settle>();
  private firstOutcome: Promise<BindOutcome> | null = null;
  private settleFirst: ((outcome: BindOutcome) => void) | null = null;

  constructor(private readonly options: SmppConnectionOptions) {}

  /** Opens the link (once) and resolves with the first bind's outcome; reconnecting goes on regardless. */
  open(): Promise<BindOutcome> {
    if (!this.firstOutcome) {
      this.firstOutcome = new Promise((resolve) => {
        this.settleFirst = resolve;
      });
      this.closing = false;
      this.dial();
    }
    return this.firstOutcome;
  }

  get isBound(): boolean {
    return this.bound;
  }

  /** Sends a request; `onResponse` runs synchronously on the response, before later PDUs are handled. */
  request(
    command: string,
    fields: Record<string, unknown>,
    onResponse?: (pdu: PDU) => void,
  ): Promise<RequestOutcome> {
    const session = this.session;
    if (!session || !this.bound)
      return Promise.resolve({ kind: 'not-bound', refusedStatus: this.refusedStatus });
    return new Promise((resolve) => {
      let done = false;
      const settle: Settle = (outcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.pending.delete(settle);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle({ kind: 'timeout' }), this.options.requestTimeoutMs);
      this.pending.add(settle);
      const written = session.send(new PDU(command, fields), (pdu) => {
        if (!done) onResponse?.(pdu);
        settle({ kind: 'response', pdu });
      });
      if (!written) settle({ kind: 'connection-lost' });
    });
  }

  /** Unbinds (waiting at most the request timeout for unbind_resp), closes the socket, stops timers. */
  async close(): Promise<void> {
    this.closing = true;
    this.clearTimers();
    const session = this.session;
    if (!session) return;
    if (this.bound) await this.request('unbind', {});
    this.bound = false;
    await new Promise<void>((resolve) => {
      if (session.socket.destroyed) return resolve();
      session.close(() => resolve());
      setTimeout(() => session.destroy(), this.options.requestTimeoutMs).unref();
    });
  }

  private dial(): void {
    const session = connect({ host: this.options.host, port: this.options.port });
    this.session = session;
    session.on('connect', () => this.bind(session));
    session.on('pdu', (pdu: PDU) => this.onPdu(session, pdu));
    session.on('error', (error: Error) =>
      this.options.logger.warn({ err: error.message }, 'sms: SMPP link error'),
    );
    session.on('close', () => this.onClose(session));
  }

  private bind(session: Session): void {
    const timer = setTimeout(() => session.destroy(), this.options.requestTimeoutMs);
    session.send(new PDU('bind_transceiver', { ...this.options.bind }), (response) => {
      clearTimeout(timer);
      if (response.command_status !== 0) return this.onBindRefused(session, response.command_status);
      this.bound = true;
      this.refusedStatus = null;
      this.attempt = 0;
      this.startEnquireLink(session);
      this.options.logger.info({ host: this.options.host }, 'sms: SMPP transceiver bound');
      this.settle({ kind: 'bound' });
    });
  }

  private onBindRefused(session: Session, status: number): void {
    this.refusedStatus = status;
    this.options.logger.error({ status }, 'sms: SMSC refused the bind');
    this.settle({ kind: 'refused', status });
    session.destroy();
  }

  private startEnquireLink(session: Session): void {
    this.enquireTimer = setInterval(() => {
      void this.request('enquire_link', {}).then((outcome) => {
        if (outcome.kind !== 'response' && this.session === session) session.destroy();
      });
    }, this.options.enquireLinkMs);
  }

  /** Requests the SMSC may send on a transceiver bind; others get generic_nack ESME_RINVCMDID. */
  private readonly incoming: Readonly<Record<string, (session: Session, pdu: PDU) => void>> = {
    deliver_sm: (session, pdu) => void this.deliver(session, pdu),
    enquire_link: (session, pdu) => void session.send(pdu.response()),
    unbind: (session, pdu) => {
      session.send(pdu.response());
      session.close();
    },
    alert_notification: () => undefined,
  };

  private onPdu(session: Session, pdu: PDU): void {
    if (pdu.isResponse()) return;
    const handler = this.incoming[pdu.command];
    if (handler) handler(session, pdu);
    else
      session.send(new PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: 0x03 }));
  }

  private async deliver(session: Session, pdu: PDU): Promise<void> {
    try {
      await this.options.onDeliver(pdu);
      session.send(pdu.response());
    } catch (error) {
      this.options.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'sms: deliver_sm not stored',
      );
      session.send(pdu.response({ command_status: temporaryAppError }));
    }
  }

  private onClose(session: Session): void {
    if (this.session !== session) return;
    this.bound = false;
    this.clearTimers();
    for (const settle of [...this.pending]) settle({ kind: 'connection-lost' });
    this.settle({ kind: 'unreachable', reason: `no SMPP bind at ${this.options.host}:${this.options.port}` });
    if (this.closing) return;
    const refused = this.refusedStatus !== null && bindRefusals.includes(this.refusedStatus);
    const delay = refused ? reconnectPolicy.maxMs : reconnectDelayMs(this.attempt);
    this.attempt += 1;
    this.options.logger.warn(
      { delayMs: delay, attempt: this.attempt },
      'sms: SMPP link closed, reconnecting',
    );
    this.reconnectTimer = setTimeout(() => this.dial(), delay);
  }

  private settle(outcome: BindOutcome): void {
    this.settleFirst?.(outcome);
    this.settleFirst = null;
  }

  private clearTimers(): void {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.enquireTimer = null;
    this.reconnectTimer = null;
  }
}
