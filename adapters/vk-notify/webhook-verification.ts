import type { WebhookRequest } from '../contract';
import { constantTimeEqual, hmacSha256Hex } from '../shared/signatures';
import { signatureHeader } from './wire-format';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks `X-Signature` = lower-case hex HMAC-SHA256 of the raw body under the callback secret,
 * compared in constant time. Runs before the body is parsed.
 */
export function verifyCallbackSignature(request: WebhookRequest, callbackSecret: string): SignatureCheck {
  const provided = request.headers[signatureHeader];
  if (!provided) return { ok: false, reason: `missing ${signatureHeader} header` };
  const expected = hmacSha256Hex(callbackSecret, request.rawBody);
  return constantTimeEqual(expected, provided.trim())
    ? { ok: true }
    : { ok: false, reason: `${signatureHeader} does not match the body` };
}
