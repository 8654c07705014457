import { type PermanentReason, permanent, rateLimited, retryable, type SendResult } from '../contract';
import { type ViberApiResponse, ViberStatusError, ViberTransportError } from './viber-transport';

/**
 * Viber gives no retry delay with status 12 `tooManyRequests`. Its documented cap is 100 messages
 * to one user within an hour without a reply (reset when the user replies); one minute is the first
 * step of the caller's backoff, not a promise that the next try succeeds.
 */
export const viberRateLimitDelayMs = 60_000;

type FailureFor = (detail: string, code: number) => SendResult;

const permanentAs =
  (reason: PermanentReason): FailureFor =>
  (detail, code) =>
    permanent(reason, detail, code);

/**
 * Viber REST API "Error Codes" (developers.viber.com/docs/api/rest-bot-api/#error-codes; also
 * creators.viber.com/docs/bots-api/errors): `status` → what the caller should do. Account-level
 * problems (token, blocked/suspended/unknown bot) are `auth`: an admin must fix the channel.
 */
export const viberErrorTable: Readonly<Record<number, { name: string; failure: FailureFor }>> = {
  1: { name: 'invalidUrl', failure: permanentAs('rejected') },
  2: { name: 'invalidAuthToken', failure: permanentAs('auth') },
  3: { name: 'badData', failure: permanentAs('content-invalid') },
  4: { name: 'missingData', failure: permanentAs('content-invalid') },
  5: { name: 'receiverNotRegistered', failure: permanentAs('no-account') },
  6: { name: 'receiverNotSubscribed', failure: permanentAs('not-allowed') },
  7: { name: 'publicAccountBlocked', failure: permanentAs('auth') },
  8: { name: 'publicAccountNotFound', failure: permanentAs('auth') },
  9: { name: 'publicAccountSuspended', failure: permanentAs('auth') },
  10: { name: 'webhookNotSet', failure: permanentAs('rejected') },
  11: { name: 'receiverNoSuitableDevice', failure: permanentAs('no-account') },
  12: { name: 'tooManyRequests', failure: (_detail, code) => rateLimited(viberRateLimitDelayMs, code) },
  13: { name: 'apiVersionNotSupported', failure: permanentAs('content-invalid') },
  14: { name: 'incompatibleWithVersion', failure: permanentAs('content-invalid') },
  15: { name: 'publicAccountNotAuthorized', failure: permanentAs('auth') },
  16: { name: 'inchatReplyMessageNotAllowed', failure: permanentAs('not-allowed') },
  17: { name: 'publicAccountIsNotInline', failure: permanentAs('not-allowed') },
  18: { name: 'noPublicChat', failure: permanentAs('not-allowed') },
  19: { name: 'cannotSendBroadcast', failure: permanentAs('not-allowed') },
  20: { name: 'broadcastNotAllowed', failure: permanentAs('not-allowed') },
  21: { name: 'unsupportedCountry', failure: permanentAs('not-allowed') },
  22: { name: 'paymentUnsupported', failure: permanentAs('content-invalid') },
  23: { name: 'freeMessagesExceeded', failure: permanentAs('rejected') },
  24: { name: 'noBalance', failure: permanentAs('rejected') },
};

/** "other — General error": unknown statuses may pass, so they are retried. */
const generalError: FailureFor = (detail, code) => retryable(detail, code);

/** Maps what viber-bot rejected with to a typed failure. */
export function mapViberRejection(rejection: unknown): SendResult {
  if (rejection instanceof ViberTransportError) return { ok: false, failure: rejection.failure };
  if (rejection instanceof ViberStatusError) return mapViberStatus(rejection.response);
  // viber-bot's `_sendMessages` rejects with the bare answer when it sees a non-zero status.
  if (isApiResponse(rejection)) return mapViberStatus(rejection);
  // viber-bot's own checks (`verifyMessage`, missing receiver) throw plain errors before any request.
  const detail = rejection instanceof Error ? rejection.message : String(rejection);
  return permanent('content-invalid', `viber-bot refused the message: ${detail}`);
}

/** Maps a Viber answer with a non-zero `status` through `viberErrorTable`. */
export function mapViberStatus(response: ViberApiResponse): SendResult {
  const entry = viberErrorTable[response.status];
  const detail =
    `${response.status} ${entry?.name ?? 'generalError'}: ${response.status_message ?? ''}`.trim();
  return (entry?.failure ?? generalError)(detail, response.status);
}

function isApiResponse(value: unknown): value is ViberApiResponse {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'status') === 'number';
}
