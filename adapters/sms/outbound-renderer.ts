import { createHash } from 'node:crypto';
import {
  chooseEncoding,
  dataCodingOf,
  encodeText,
  type SmsEncoding,
  splitIntoParts,
} from './message-encoding';

/** `esm_class` bit 6: short_message starts with a User Data Header (SMPP 3.4 §5.2.12). */
export const udhIndicator = 0x40;
/** `registered_delivery` 1: an SMSC delivery receipt on final outcome, success or failure (§5.2.17). */
const finalReceipt = 0x01;
/** International E.164 destination (§5.2.5, §5.2.6). */
const internationalTon = 1;
const isdnNpi = 1;
/** Longest relative validity the renderer writes: 99 days. */
const maxValiditySeconds = 99 * 86_400;

/** The submit_sm parameters for one part, by their SMPP names (smpp package field names). */
export interface SubmitSmFields extends Record<string, unknown> {
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  registered_delivery: number;
  data_coding: number;
  validity_period: string;
  short_message: Buffer;
}

export interface RenderInput {
  text: string;
  /** Destination in E.164 with `+`. */
  phone: string;
  sender: { addr: string; ton: number; npi: number };
  /** Our message id: the concatenation reference is derived from it, so a retry reuses it. */
  messageId: string;
  ttlSeconds?: number;
}

export type RenderResult =
  | { ok: true; encoding: SmsEncoding; parts: SubmitSmFields[] }
  | { ok: false; encoding: SmsEncoding; partCount: number };

/** 8-bit concatenation reference (IEI 0x00), stable for one message id. */
export function concatenationReference(messageId: string): number {
  return createHash('sha256').update(messageId).digest()[0] ?? 0;
}

/** UDH for part `seq` of `total`: UDHL 5, IEI 0x00 (8-bit reference), IEDL 3, ref, total, seq (TS 23.040 §9.2.3.24.1). */
export function concatenationUdh(reference: number, total: number, seq: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, reference, total, seq]);
}

/**
 * SMPP relative time "YYMMDDhhmmss000R" (§7.1.1.2) for a TTL; empty (SMSC default validity) without one.
 */
export function relativeValidity(ttlSeconds: number | undefined): string {
  if (ttlSeconds === undefined) return '';
  let rest = Math.min(Math.max(Math.round(ttlSeconds), 1), maxValiditySeconds);
  const fields = [86_400, 3_600, 60, 1].map((unit) => {
    const value = Math.floor(rest / unit);
    rest -= value * unit;
    return String(value).padStart(2, '0');
  });
  return `0000${fields.join('')}000R`;
}

/**
 * Renders a text as the submit_sm parts an SMSC receives: GSM-7 (`data_coding` 0) when every
 * character is in GSM 03.38, else UCS-2 (8); texts over one SMS split with a concatenation UDH and
 * `esm_class` 0x40. Refuses (`ok: false`) when more than `maxParts` parts would be needed.
 */
export function renderSubmits(input: RenderInput, maxParts: number): RenderResult {
  const encoding = chooseEncoding(input.text);
  const texts = splitIntoParts(input.text, encoding);
  if (texts.length > maxParts) return { ok: false, encoding, partCount: texts.length };
  const reference = concatenationReference(input.messageId);
  const multipart = texts.length > 1;
  const parts = texts.map((text, index) => {
    const payload = encodeText(text, encoding);
    return {
      source_addr_ton: input.sender.ton,
      source_addr_npi: input.sender.npi,
      source_addr: input.sender.addr,
      dest_addr_ton: internationalTon,
      dest_addr_npi: isdnNpi,
      destination_addr: input.phone.replace(/^\+/, ''),
      esm_class: multipart ? udhIndicator : 0x00,
      registered_delivery: finalReceipt,
      data_coding: dataCodingOf[encoding],
      validity_period: relativeValidity(input.ttlSeconds),
      short_message: multipart
        ? Buffer.concat([concatenationUdh(reference, texts.length, index + 1), payload])
        : payload,
    };
  });
  return { ok: true, encoding, parts };
}
