/**
 * What may never reach a log line: phone numbers (masked as `+7******1234`), API keys, session
 * tokens and bearer credentials (replaced). Applied to every serialized line, whatever logged it.
 */
const phonePattern = /(?:\+|%2B)\d(?:[\s().-]{0,2}\d){9,14}/gi;
const tokenPattern = /\b(vst|vss)_[A-Za-z0-9_-]{8,}/g;
const bearerPattern = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export function maskPhone(phone: string): string {
  const digits = phone.replace(/^%2B/i, '').replace(/\D/g, '');
  if (digits.length < 6) return '*'.repeat(digits.length);
  return `+${digits[0]}${'*'.repeat(digits.length - 5)}${digits.slice(-4)}`;
}

/** Cheap pre-check: most lines hold none of the markers, and skip the three regex passes. */
const markers = /[+%]|vs[ts]_|bearer/i;

export function redactLine(line: string): string {
  if (!markers.test(line)) return line;
  return line
    .replace(phonePattern, maskPhone)
    .replace(tokenPattern, (_m, kind: string) => `${kind}_[redacted]`)
    .replace(bearerPattern, '$1[redacted]');
}

/** Field paths pino removes outright, whatever their content. */
export const redactedPaths = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'headers.authorization',
  'headers.cookie',
];
