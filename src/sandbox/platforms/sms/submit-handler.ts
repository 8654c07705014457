import type { PDU } from 'smpp';
import type { SandboxContext } from '../../sandbox-platform';
import type { ReceivedMessage } from '../../virtual-users';
import type { SmscAccount } from './accounts';
import { smscStatus } from './command-status';
import type { DeliverQueue } from './deliver-queue';
import { receiptFields, receiptWanted, type SubmittedPart } from './receipts';
import { fitsOneSms, readSubmitted, type SubmittedText } from './sms-text';
import type { EsmeSession } from './smsc-sessions';

/** What a virtual user's phone shows for an SMS: the usual record plus its part count and coding. */
export interface SmsReceivedMessage extends Omit<ReceivedMessage, 'receivedAt' | 'status'> {
  /** Concatenated parts the message arrived in (1 for a single SMS). */
  parts: number;
  /** `data_coding` it was sent with: 0 GSM-7, 8 UCS-2. */
  dataCoding: number;
}

interface PartSet {
  parts: Map<number, SubmittedPart>;
  total: number;
}

/** Unknown subscriber: the receipt for a number no virtual user has (UNDELIV err:001). */
const unknownSubscriberErr = 1;
const maxPendingSets = 10_000;

/**
 * submit_sm at the simulated SMSC: logs the decoded PDU, applies API faults (latency, timeout →
 * no answer, server-error → ESME_RSYSERR, rate-limit → ESME_RTHROTTLED), enforces the account's
 * throughput and the message rules, answers with a seeded message_id, reassembles concatenated
 * parts, delivers to the virtual user with that number and sends receipts (one per part).
 */
export class SubmitHandler {
  private readonly recent = new Map<string, number[]>();
  private readonly sets = new Map<string, PartSet>();

  constructor(
    private readonly context: SandboxContext,
    private readonly queue: DeliverQueue,
  ) {}

  async handle(esme: EsmeSession, pdu: PDU): Promise<void> {
    const submitted = readSubmitted(pdu);
    this.log(pdu, submitted);
    const faultStatus = await this.applyFaults();
    if (faultStatus === 'no-answer') return;
    const status = faultStatus ?? this.check(esme, pdu, submitted);
    if (status !== smscStatus.ESME_ROK || !esme.account) {
      esme.session.send(pdu.response({ command_status: status }));
      return;
    }
    const part = this.partOf(pdu, submitted);
    esme.session.send(pdu.response({ message_id: part.messageId }));
    this.accept(esme, esme.account, part, submitted.concat);
  }

  private log(pdu: PDU, submitted: SubmittedText): void {
    const validity = pdu.validity_period;
    this.context.log.request({
      platform: 'sms',
      method: 'submit_sm',
      path: String(pdu.destination_addr ?? ''),
      contentType: null,
      body: {
        sequence_number: pdu.sequence_number,
        ...Object.fromEntries(
          ['source_addr_ton', 'source_addr_npi', 'source_addr', 'dest_addr_ton', 'dest_addr_npi']
            .concat(['destination_addr', 'esm_class', 'registered_delivery', 'data_coding'])
            .map((field) => [field, pdu[field]]),
        ),
        validity_period: validity instanceof Date ? validity.toISOString() : (validity ?? ''),
        udh: submitted.udh?.toString('hex') ?? null,
        text: submitted.text,
        octets: submitted.octets,
      },
    });
  }

  private async applyFaults(): Promise<number | 'no-answer' | null> {
    for (const fault of this.context.faults.takeApiFaults('sms')) {
      if (fault.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (fault.kind === 'timeout') return 'no-answer';
      if (fault.kind === 'server-error') return smscStatus.ESME_RSYSERR;
      if (fault.kind === 'rate-limit') return smscStatus.ESME_RTHROTTLED;
    }
    return null;
  }

  /** The SMSC's rules, in the order it applies them; ESME_ROK when the PDU may go out. */
  private check(esme: EsmeSession, pdu: PDU, submitted: SubmittedText): number {
    if (!esme.account || esme.mode === 'receiver') return smscStatus.ESME_RINVBNDSTS;
    if (this.throttled(esme.account)) return smscStatus.ESME_RTHROTTLED;
    const destination = String(pdu.destination_addr ?? '');
    if (!/^[1-9]\d{7,14}$/.test(destination)) return smscStatus.ESME_RINVDSTADR;
    if (![0, 1].includes(Number(pdu.dest_addr_ton))) return smscStatus.ESME_RINVDSTTON;
    if (![0, 1].includes(Number(pdu.dest_addr_npi))) return smscStatus.ESME_RINVDSTNPI;
    if (!validSource(String(pdu.source_addr ?? ''), Number(pdu.source_addr_ton)))
      return smscStatus.ESME_RINVSRCADR;
    if (!fitsOneSms(submitted, Number(pdu.data_coding))) return smscStatus.ESME_RINVMSGLEN;
    const validity = pdu.validity_period;
    if (validity instanceof Date && Number.isNaN(validity.getTime())) return smscStatus.ESME_RINVEXPIRY;
    return smscStatus.ESME_ROK;
  }

  private throttled(account: SmscAccount): boolean {
    const now = this.context.clock.nowMs();
    const window = (this.recent.get(account.systemId) ?? []).filter((at) => now - at < 1_000);
    const over = window.length >= account.throughputPerSecond;
    if (!over) window.push(now);
    this.recent.set(account.systemId, window);
    return over;
  }

  private partOf(pdu: PDU, submitted: SubmittedText): SubmittedPart {
    return {
      messageId: this.context.random.hex(10),
      text: submitted.text,
      submittedAt: this.context.clock.now(),
      registeredDelivery: Number(pdu.registered_delivery ?? 0),
      dataCoding: Number(pdu.data_coding ?? 0),
      source: {
        addr: String(pdu.source_addr ?? ''),
        ton: Number(pdu.source_addr_ton),
        npi: Number(pdu.source_addr_npi),
      },
      destination: String(pdu.destination_addr ?? ''),
    };
  }

  private accept(
    esme: EsmeSession,
    account: SmscAccount,
    part: SubmittedPart,
    concat: SubmittedText['concat'],
  ): void {
    if (!concat || concat.total < 2) {
      this.complete(esme, account, [part], 1);
      return;
    }
    const key = [account.systemId, part.source.addr, part.destination, concat.reference, concat.total].join(
      '|',
    );
    const set = this.sets.get(key) ?? { parts: new Map(), total: concat.total };
    set.parts.set(concat.seq, part);
    this.sets.set(key, set);
    if (this.sets.size > maxPendingSets) this.sets.delete(this.sets.keys().next().value ?? key);
    if (set.parts.size < set.total) return;
    this.sets.delete(key);
    const ordered = [...set.parts.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
    this.complete(esme, account, ordered, concat.total);
  }

  /** Hands the whole message to the phone (or finds no phone) and sends each part's receipt. */
  private complete(esme: EsmeSession, account: SmscAccount, parts: SubmittedPart[], total: number): void {
    const [first] = parts;
    if (!first) return;
    const user = this.context.users.byPhone(`+${first.destination}`);
    if (user) {
      const message: SmsReceivedMessage = {
        platform: 'sms',
        messageId: first.messageId,
        from: first.source.addr,
        via: 'sms',
        text: parts.map((part) => part.text).join(''),
        buttons: [],
        images: [],
        parts: Math.max(total, 1),
        dataCoding: first.dataCoding,
      };
      this.context.users.deliver(user, message);
    }
    for (const part of parts) {
      const state = user ? 'DELIVRD' : 'UNDELIV';
      if (!receiptWanted(part, state)) continue;
      const err = user ? 0 : unknownSubscriberErr;
      this.queue.deliver(account.systemId, receiptFields(part, state, err, this.context.clock), esme.session);
    }
  }
}

/** Alphanumeric senders (TON 5) up to 11 characters; numeric ones up to 15 digits; empty = the SMSC's default. */
function validSource(addr: string, ton: number): boolean {
  if (ton === 5) return /^[\x20-\x7e]{1,11}$/.test(addr);
  return /^\d{0,15}$/.test(addr);
}
