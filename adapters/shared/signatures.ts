import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares two strings in constant time (for equal lengths; length itself is not secret). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Lower-case hex HMAC-SHA256 of raw bytes. */
export function hmacSha256Hex(key: string, data: Buffer): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** Parses a JSON webhook body; `undefined` when it is not JSON (the caller answers 400). */
export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
