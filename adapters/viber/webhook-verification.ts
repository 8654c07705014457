import { headerValue } from '../shared/request-headers';
import { constantTimeEqual, hmacSha256Hex } from '../shared/signatures';

export type ViberSignatureCheck = { ok: true } | { ok: false; status: 401 | 403; reason: string };

const signaturePattern = /^[0-9a-f]{64}$/i;

/**
 * Viber signs every callback: `X-Viber-Content-Signature` (or the `sig` query parameter, which
 * viber-bot also accepts) is the lower-case hex HMAC-SHA256 of the raw body keyed with the bot's
 * auth token. Missing signature → 401; a signature that does not match → 403. Compared in constant
 * time, over the exact bytes received.
 */
export function verifyViberSignature(
  request: {
    headers: Readonly<Record<string, string | undefined>>;
    query: Readonly<Record<string, string | undefined>>;
    rawBody: Buffer;
  },
  authToken: string,
): ViberSignatureCheck {
  const given = headerValue(request.headers, 'x-viber-content-signature') ?? request.query.sig;
  if (!given) return { ok: false, status: 401, reason: 'missing X-Viber-Content-Signature' };
  if (!signaturePattern.test(given)) return { ok: false, status: 403, reason: 'malformed signature' };
  const expected = hmacSha256Hex(authToken, request.rawBody);
  return constantTimeEqual(given.toLowerCase(), expected)
    ? { ok: true }
    : { ok: false, status: 403, reason: 'signature does not match the body' };
}
