import type { AddressInfo } from 'node:net';
import { createServer, PDU, type Server, type Session } from 'smpp';
import type { SandboxContext } from '../../sandbox-platform';
import type { SmscAccounts } from './accounts';
import { smscStatus } from './command-status';
import { DeliverQueue } from './deliver-queue';
import { type BindMode, type EsmeSession, SmscSessions } from './smsc-sessions';
import { SubmitHandler } from './submit-handler';

type PduHandler = (esme: EsmeSession, pdu: PDU) => void;

const bindModes: Readonly<Record<string, BindMode>> = {
  bind_transmitter: 'transmitter',
  bind_receiver: 'receiver',
  bind_transceiver: 'transceiver',
};

/**
 * The simulated SMSC: an SMPP 3.4 server (the smpp package's) that authenticates binds against the
 * sandbox accounts and answers enquire_link, unbind, submit_sm and cancel_sm; anything else gets
 * generic_nack ESME_RINVCMDID. Requests other than binds and enquire_link before a bind are
 * answered ESME_RINVBNDSTS.
 */
export class SmscServer {
  readonly sessions = new SmscSessions();
  readonly queue: DeliverQueue;
  private readonly submits: SubmitHandler;
  private server: Server | null = null;
  private address: { host: string; port: number } | null = null;

  private readonly handlers: Readonly<Record<string, PduHandler>> = {
    bind_transmitter: (esme, pdu) => this.bind(esme, pdu),
    bind_receiver: (esme, pdu) => this.bind(esme, pdu),
    bind_transceiver: (esme, pdu) => this.bind(esme, pdu),
    enquire_link: (esme, pdu) => void esme.session.send(pdu.response()),
    unbind: (esme, pdu) => esme.session.send(pdu.response(), () => esme.session.close()),
    submit_sm: (esme, pdu) => void this.whenBound(esme, pdu, () => this.submits.handle(esme, pdu)),
    /** Messages go out at once, so there is never one left to cancel. */
    cancel_sm: (esme, pdu) =>
      void this.whenBound(esme, pdu, () => {
        esme.session.send(pdu.response({ command_status: smscStatus.ESME_RCANCELFAIL }));
      }),
  };

  constructor(
    private readonly context: SandboxContext,
    private readonly accounts: SmscAccounts,
  ) {
    this.queue = new DeliverQueue(context, this.sessions);
    this.submits = new SubmitHandler(context, this.queue);
  }

  async start(): Promise<void> {
    const server = createServer((session) => this.accept(session));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.context.ports.smpp, this.context.host, () => resolve());
    });
    this.address = { host: this.context.host, port: (server.address() as AddressInfo).port };
  }

  async stop(): Promise<void> {
    this.sessions.destroyAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  info(): { host: string; port: number } | { listening: false } {
    return this.address ?? { listening: false };
  }

  private accept(session: Session): void {
    const esme = this.sessions.add(session);
    session.on('pdu', (pdu: PDU) => this.onPdu(esme, pdu));
    session.on('error', (error: Error) =>
      this.context.logger.debug({ err: error.message }, 'sandbox sms: ESME link error'),
    );
    session.on('close', () => {
      this.sessions.remove(session);
      this.queue.sessionClosed(session);
    });
  }

  private onPdu(esme: EsmeSession, pdu: PDU): void {
    if (pdu.isResponse()) return;
    const handler = this.handlers[pdu.command];
    if (handler) handler(esme, pdu);
    else
      esme.session.send(
        new PDU('generic_nack', {
          sequence_number: pdu.sequence_number,
          command_status: smscStatus.ESME_RINVCMDID,
        }),
      );
  }

  private async whenBound(esme: EsmeSession, pdu: PDU, work: () => Promise<void> | void): Promise<void> {
    if (!esme.account)
      return void esme.session.send(pdu.response({ command_status: smscStatus.ESME_RINVBNDSTS }));
    try {
      await work();
    } catch (error) {
      this.context.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'sandbox sms: PDU failed',
      );
      esme.session.send(pdu.response({ command_status: smscStatus.ESME_RSYSERR }));
    }
  }

  private bind(esme: EsmeSession, pdu: PDU): void {
    this.context.log.request({
      platform: 'sms',
      method: pdu.command,
      path: String(pdu.system_id ?? ''),
      contentType: null,
      body: {
        system_id: pdu.system_id,
        system_type: pdu.system_type,
        interface_version: pdu.interface_version,
      },
    });
    const status = this.bindStatus(esme, pdu);
    if (status !== smscStatus.ESME_ROK) {
      esme.session.send(pdu.response({ command_status: status }));
      return;
    }
    const account = this.accounts.get(String(pdu.system_id));
    esme.account = account ?? null;
    esme.mode = bindModes[pdu.command] ?? null;
    esme.session.send(pdu.response({ system_id: 'VESTNIKSMSC' }));
    if (account && esme.mode !== 'transmitter') this.queue.flush(account.systemId);
  }

  private bindStatus(esme: EsmeSession, pdu: PDU): number {
    if (esme.account) return smscStatus.ESME_RALYBND;
    const account = this.accounts.get(String(pdu.system_id ?? ''));
    if (!account) return smscStatus.ESME_RINVSYSID;
    if (account.password !== String(pdu.password ?? '')) return smscStatus.ESME_RINVPASWD;
    return smscStatus.ESME_ROK;
  }
}
