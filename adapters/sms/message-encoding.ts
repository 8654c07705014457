import { encodings, gsmCoder } from 'smpp';

/** The two alphabets Vestnik sends SMS in. */
export type SmsEncoding = 'gsm7' | 'ucs2';

/** SMPP `data_coding`: 0 = SMSC default alphabet (GSM 03.38), 8 = UCS-2 (SMPP 3.4 §5.2.19). */
export const dataCodingOf: Readonly<Record<SmsEncoding, number>> = { gsm7: 0x00, ucs2: 0x08 };

/**
 * Characters per part (3GPP TS 23.040 §9.2.3.24.1): one SMS carries 140 octets = 160 GSM-7 septets
 * or 70 UCS-2 characters; a concatenated part gives 6 octets to the UDH, leaving 153 septets / 67
 * UCS-2 characters. GSM extension-table characters (€, [, ], {, }, \, ^, ~, |, form feed) take
 * two septets (ESC + code); UCS-2 counts UTF-16 code units (a character outside the BMP takes two).
 */
export const partLimits: Readonly<Record<SmsEncoding, { single: number; multi: number }>> = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
};

const escapeChar = '\x1B';
const gsmTables = gsmCoder.getCoder(0);

/** Septets one character takes in the GSM 03.38 default alphabet; `null` when it has none. */
export function gsmSeptets(char: string): 1 | 2 | null {
  if (char === escapeChar) return null;
  if (Object.hasOwn(gsmTables.charListEnc, char)) return 1;
  if (Object.hasOwn(gsmTables.extCharListEnc, char)) return 2;
  return null;
}

/** GSM-7 when every character is in the basic table or its extension, else UCS-2. */
export function chooseEncoding(text: string): SmsEncoding {
  for (const char of text) if (gsmSeptets(char) === null) return 'ucs2';
  return 'gsm7';
}

/** Size of one character (code point) in the units the encoding's limits count. */
const unitSize = (char: string, encoding: SmsEncoding): number =>
  encoding === 'gsm7' ? (gsmSeptets(char) ?? 1) : char.length;

/** Total length of `text` in septets (GSM-7) or UTF-16 code units (UCS-2). */
export function encodedLength(text: string, encoding: SmsEncoding): number {
  let total = 0;
  for (const char of text) total += unitSize(char, encoding);
  return total;
}

/**
 * How many SMS segments (billed parts) `text` is sent in: its encoding chosen as `send` does
 * (GSM-7 when it fits, else UCS-2), then split into parts. Empty text is one segment.
 */
export function segmentCount(text: string): number {
  return splitIntoParts(text, chooseEncoding(text)).length;
}

/**
 * Splits `text` into the parts it is sent in: one when it fits a single SMS, else chunks of at most
 * 153 septets / 67 code units that never cut an extension character or a surrogate pair in two.
 */
export function splitIntoParts(text: string, encoding: SmsEncoding): string[] {
  const limits = partLimits[encoding];
  if (encodedLength(text, encoding) <= limits.single) return [text];
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of text) {
    const charSize = unitSize(char, encoding);
    if (size + charSize > limits.multi) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += charSize;
  }
  parts.push(current);
  return parts;
}

/** Encodes text with the smpp package's codecs: GSM 03.38 one septet per octet (unpacked), or UCS-2 big-endian. */
export function encodeText(text: string, encoding: SmsEncoding): Buffer {
  return encoding === 'gsm7' ? encodings.ASCII.encode(text) : encodings.UCS2.encode(text);
}
