import type { DeliveryStatus } from '../contract';

/**
 * An SMSC delivery receipt as carried in deliver_sm `short_message` (SMPP 3.4 Appendix B):
 * `id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:…`.
 */
export interface DeliveryReceipt {
  id: string;
  stat: string;
  err: string | null;
  submitDate: Date | null;
  doneDate: Date | null;
}

const receiptFields = ['id', 'stat', 'err', 'submit date', 'done date'] as const;
type ReceiptField = (typeof receiptFields)[number];

/** One pattern per receipt field, built once rather than on every receipt. */
const fieldPatterns = Object.fromEntries(
  receiptFields.map((name) => [name, new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i')]),
) as Record<ReceiptField, RegExp>;

const field = (text: string, name: ReceiptField): string | null =>
  fieldPatterns[name].exec(text)?.[1] ?? null;

/** SMPP receipt dates are YYMMDDhhmm or YYMMDDhhmmss, without a zone; read as UTC. */
export function parseReceiptDate(value: string | null): Date | null {
  const match = value ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(value) : null;
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(2000 + (year ?? 0), (month ?? 1) - 1, day, hour, minute, second));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Parses the receipt text; `null` when it has no `id:` and `stat:` (not a receipt in this format). */
export function parseDeliveryReceipt(text: string): DeliveryReceipt | null {
  const id = field(text, 'id');
  const stat = field(text, 'stat');
  if (!id || !stat) return null;
  return {
    id,
    stat: stat.toUpperCase(),
    err: field(text, 'err'),
    submitDate: parseReceiptDate(field(text, 'submit date')),
    doneDate: parseReceiptDate(field(text, 'done date')),
  };
}

/** `message_state` TLV values (SMPP 3.4 §5.3.2.35) by the receipt `stat` they stand for. */
export const messageStateStat: Readonly<Record<number, string>> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/**
 * What each final state means for Vestnik: `null` for states that are not final (ENROUTE, ACCEPTD
 * — the message is still on its way), otherwise the status and, for failures, a reason.
 */
export const receiptStatus: Readonly<Record<string, { status: DeliveryStatus; reason?: string } | null>> = {
  DELIVRD: { status: 'delivered' },
  EXPIRED: { status: 'expired', reason: 'EXPIRED: validity period passed before delivery' },
  UNDELIV: { status: 'undelivered', reason: 'UNDELIV: the network could not deliver it' },
  REJECTD: { status: 'undelivered', reason: 'REJECTD: the SMSC rejected it' },
  DELETED: { status: 'undelivered', reason: 'DELETED: deleted before delivery' },
  UNKNOWN: { status: 'undelivered', reason: 'UNKNOWN: the SMSC lost track of it' },
  ENROUTE: null,
  ACCEPTD: null,
};
