import type { SandboxClock } from '../../sandbox-clock';

/** Final states the simulated SMSC reports, with their `message_state` TLV values (SMPP 3.4 §5.3.2.35). */
export const finalStates = { DELIVRD: 2, EXPIRED: 3, UNDELIV: 5 } as const;
export type FinalState = keyof typeof finalStates;

/** One submitted part, as its receipt needs it. */
export interface SubmittedPart {
  messageId: string;
  text: string;
  submittedAt: Date;
  registeredDelivery: number;
  dataCoding: number;
  source: { addr: string; ton: number; npi: number };
  destination: string;
}

/** YYMMDDhhmm in UTC (SMPP 3.4 Appendix B). */
const receiptDate = (date: Date): string =>
  [
    date.getUTCFullYear() % 100,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
  ]
    .map((value) => String(value).padStart(2, '0'))
    .join('');

/**
 * Whether the ESME asked for this receipt: `registered_delivery` bits 0–1 = 01 on success or
 * failure, 10 on failure only (SMPP 3.4 §5.2.17).
 */
export function receiptWanted(part: SubmittedPart, state: FinalState): boolean {
  const request = part.registeredDelivery & 0x03;
  return request === 1 || (request === 2 && state !== 'DELIVRD');
}

/**
 * The deliver_sm fields of a delivery receipt: esm_class 0x04, the Appendix B text
 * (`id:… sub:001 dlvrd:… submit date:… done date:… stat:… err:… text:<first 20 characters>`) and
 * the `receipted_message_id` / `message_state` TLVs. It comes from the handset's number and goes to
 * the original sender.
 */
export function receiptFields(
  part: SubmittedPart,
  state: FinalState,
  err: number,
  clock: SandboxClock,
): Record<string, unknown> {
  const delivered = state === 'DELIVRD' ? '001' : '000';
  const text =
    `id:${part.messageId} sub:001 dlvrd:${delivered} submit date:${receiptDate(part.submittedAt)} ` +
    `done date:${receiptDate(clock.now())} stat:${state} err:${String(err).padStart(3, '0')} text:${part.text.slice(0, 20)}`;
  return {
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: part.destination,
    dest_addr_ton: part.source.ton,
    dest_addr_npi: part.source.npi,
    destination_addr: part.source.addr,
    esm_class: 0x04,
    data_coding: 0x00,
    short_message: text,
    receipted_message_id: part.messageId,
    message_state: finalStates[state],
  };
}
