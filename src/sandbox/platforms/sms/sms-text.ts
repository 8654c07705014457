import { type DecodedMessage, encodings, gsmCoder, type PDU } from 'smpp';

/** What the SMSC read from a submit_sm's short_message (the smpp package decodes GSM 03.38 / UCS-2). */
export interface SubmittedText {
  /** The UDH as sent (UDHL + information elements), or `null`. */
  udh: Buffer | null;
  concat: { reference: number; total: number; seq: number } | null;
  text: string;
  /** Octets of user data after the UDH (one per GSM septet, SMPP sends GSM unpacked). */
  octets: number;
}

const gsm = gsmCoder.getCoder(0);
/** Septets of one character in GSM 03.38 (2 for the extension table), `null` when it has none. */
const septets = (char: string): number | null =>
  char !== '\x1B' && Object.hasOwn(gsm.charListEnc, char)
    ? 1
    : Object.hasOwn(gsm.extCharListEnc, char)
      ? 2
      : null;

export const isGsm7 = (text: string): boolean => [...text].every((char) => septets(char) !== null);

const encode = (text: string, dataCoding: number): Buffer =>
  dataCoding === 0x08
    ? encodings.UCS2.encode(text)
    : dataCoding === 0x03
      ? encodings.LATIN1.encode(text)
      : encodings.ASCII.encode(text);

/** Reads a submit_sm's text, UDH and concatenation (IEI 0x00 8-bit or 0x08 16-bit reference). */
export function readSubmitted(pdu: PDU): SubmittedText {
  const value = pdu.short_message as DecodedMessage | undefined;
  const elements = value?.udh ?? [];
  const udh = elements.length
    ? Buffer.concat([Buffer.from([elements.reduce((sum, ie) => sum + ie.length, 0)]), ...elements])
    : null;
  const message = value?.message ?? '';
  const text = typeof message === 'string' ? message : message.toString('latin1');
  const octets = typeof message === 'string' ? encode(text, Number(pdu.data_coding)).length : message.length;
  return { udh, concat: concatOf(elements), text, octets };
}

function concatOf(elements: readonly Buffer[]): SubmittedText['concat'] {
  for (const ie of elements) {
    if (ie[0] === 0x00 && ie.length >= 5)
      return { reference: ie[2] ?? 0, total: ie[3] ?? 0, seq: ie[4] ?? 0 };
    if (ie[0] === 0x08 && ie.length >= 6)
      return { reference: ie.readUInt16BE(2), total: ie[4] ?? 0, seq: ie[5] ?? 0 };
  }
  return null;
}

/**
 * Whether the user data fits one SMS TPDU: 140 octets minus the UDH; for GSM-7 that is
 * ⌊(140 − UDH) × 8 / 7⌋ septets (160 alone, 153 after a 6-octet concatenation UDH) — TS 23.040 §9.2.3.16.
 */
export function fitsOneSms(submitted: SubmittedText, dataCoding: number): boolean {
  const udhOctets = submitted.udh?.length ?? 0;
  const gsmCoded = dataCoding === 0x00 || dataCoding === 0x01;
  const capacity = gsmCoded ? Math.floor(((140 - udhOctets) * 8) / 7) : 140 - udhOctets;
  return submitted.octets <= capacity;
}

/** One deliver_sm part of an MO message as a handset would send it. */
export interface MoPart {
  data_coding: number;
  esm_class: number;
  short_message: Buffer;
}

/** Splits an MO text the way a handset does: 160/70 alone, else 153/67 per part with a concatenation UDH. */
export function moParts(text: string, reference: number): MoPart[] {
  const gsm7 = isGsm7(text);
  const dataCoding = gsm7 ? 0x00 : 0x08;
  const size = (char: string): number => (gsm7 ? (septets(char) ?? 1) : char.length);
  const total = [...text].reduce((sum, char) => sum + size(char), 0);
  const single = gsm7 ? 160 : 70;
  if (total <= single)
    return [{ data_coding: dataCoding, esm_class: 0, short_message: encode(text, dataCoding) }];
  const chunks = chunk(text, gsm7 ? 153 : 67, size);
  return chunks.map((part, index) => ({
    data_coding: dataCoding,
    esm_class: 0x40,
    short_message: Buffer.concat([
      Buffer.from([0x05, 0x00, 0x03, reference, chunks.length, index + 1]),
      encode(part, dataCoding),
    ]),
  }));
}

function chunk(text: string, limit: number, size: (char: string) => number): string[] {
  const chunks: string[] = [''];
  let used = 0;
  for (const char of text) {
    if (used + size(char) > limit) {
      chunks.push('');
      used = 0;
    }
    chunks[chunks.length - 1] += char;
    used += size(char);
  }
  return chunks;
}
