import { PDU, type Session } from 'smpp';
import type { SandboxContext } from '../../sandbox-platform';
import type { SmscSessions } from './smsc-sessions';

/** PDU fields as JSON: buffers as hex. */
export const loggable = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      Buffer.isBuffer(value) ? value.toString('hex') : value,
    ]),
  );

interface Delivery {
  systemId: string;
  fields: Record<string, unknown>;
  preferred?: Session | undefined;
  attempts: number;
}

/** Seconds-level retry for a deliver_sm the ESME answered with an error (store and forward). */
const retryDelayMs = 1_000;
const maxAttempts = 5;

/**
 * Store-and-forward of deliver_sm (receipts and MO) to an account's receiver/transceiver bind, like
 * an SMSC: with no such bind the PDU waits in the account's outbox until one binds; a deliver_sm
 * unanswered when its session closes goes back to the outbox; an error answer is retried later.
 * Callback faults apply per delivery: `drop-callbacks` loses it, `duplicate-callbacks` sends the
 * same PDU `times` times (each with its own sequence number, as a re-delivery would have).
 */
export class DeliverQueue {
  private readonly outbox = new Map<string, Delivery[]>();
  private readonly unanswered = new Map<Session, Set<Delivery>>();

  constructor(
    private readonly context: SandboxContext,
    private readonly sessions: SmscSessions,
  ) {}

  /** Queues one deliver_sm for `systemId`, applying the callback faults. */
  deliver(systemId: string, fields: Record<string, unknown>, preferred?: Session): void {
    const fault = this.context.faults.takeCallbackFault('sms');
    if (fault?.kind === 'drop-callbacks') return;
    const times = fault?.kind === 'duplicate-callbacks' ? fault.times : 1;
    for (let copy = 0; copy < times; copy += 1) this.attempt({ systemId, fields, preferred, attempts: 0 });
  }

  /** Sends what waited for `systemId` now that a receiver is bound. */
  flush(systemId: string): void {
    const waiting = this.outbox.get(systemId) ?? [];
    this.outbox.delete(systemId);
    for (const delivery of waiting) this.attempt(delivery);
  }

  /** Puts the deliveries a closed session never answered back in their outbox. */
  sessionClosed(session: Session): void {
    for (const delivery of this.unanswered.get(session) ?? []) this.park(delivery);
    this.unanswered.delete(session);
  }

  private attempt(delivery: Delivery): void {
    const target = this.sessions.receiverFor(delivery.systemId, delivery.preferred);
    if (!target) {
      this.park(delivery);
      return;
    }
    const pending = this.unanswered.get(target.session) ?? new Set<Delivery>();
    this.unanswered.set(target.session, pending);
    pending.add(delivery);
    const pdu = new PDU('deliver_sm', { ...delivery.fields });
    const written = target.session.send(pdu, (response) => {
      pending.delete(delivery);
      this.logAnswer(delivery, response.command_status);
      if (response.command_status !== 0) this.retry(delivery);
    });
    if (!written) {
      pending.delete(delivery);
      this.park(delivery);
    }
  }

  private retry(delivery: Delivery): void {
    if (delivery.attempts + 1 >= maxAttempts) return;
    const next = { ...delivery, attempts: delivery.attempts + 1, preferred: undefined };
    this.context.later(retryDelayMs, async () => this.attempt(next));
  }

  private park(delivery: Delivery): void {
    const list = this.outbox.get(delivery.systemId) ?? [];
    list.push({ ...delivery, preferred: undefined });
    this.outbox.set(delivery.systemId, list);
  }

  private logAnswer(delivery: Delivery, status: number): void {
    this.context.log.callback({
      platform: 'sms',
      url: `smpp://${delivery.systemId}`,
      headers: {},
      body: JSON.stringify(loggable(delivery.fields)),
      status,
      response: null,
    });
  }
}
