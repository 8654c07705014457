import type { WebhookRequest, WebhookResponse, WebhookResult } from '../contract';
import { rejected, textResponse } from '../contract';
import { constantTimeEqual, hmacSha256Hex } from '../shared/signatures';

/**
 * Meta's callback verification ("Verification requests", Graph API Webhooks getting started): a
 * GET with `hub.mode=subscribe`, `hub.verify_token` and `hub.challenge`; we answer the challenge as
 * plain text when the token matches (constant time), 403 otherwise.
 */
export function answerVerification(request: WebhookRequest, verifyToken: string): WebhookResult {
  const mode = request.query['hub.mode'];
  const token = request.query['hub.verify_token'] ?? '';
  const challenge = request.query['hub.challenge'];
  if (mode !== 'subscribe' || !constantTimeEqual(token, verifyToken)) {
    return rejected(403, 'hub.verify_token does not match');
  }
  if (!challenge) return rejected(400, 'hub.challenge is missing');
  return { outcome: 'accepted', events: [], response: textResponse(challenge) };
}

/**
 * Every event notification carries `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body
 * keyed by the app secret>`. Missing or different → 401 (nothing is parsed before this passes).
 */
export function verifySignature(request: WebhookRequest, appSecret: string): WebhookResult | null {
  const header = request.headers['x-hub-signature-256'];
  if (!header) return rejected(401, 'X-Hub-Signature-256 is missing');
  const expected = `sha256=${hmacSha256Hex(appSecret, request.rawBody)}`;
  if (!constantTimeEqual(header.trim().toLowerCase(), expected)) {
    return rejected(401, 'X-Hub-Signature-256 does not match the body');
  }
  return null;
}

/** Meta only needs a 200 quickly; the body is not read. */
export const eventReceived = (): WebhookResponse => textResponse('EVENT_RECEIVED');
