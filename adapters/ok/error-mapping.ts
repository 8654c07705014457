import { type PermanentReason, permanent, rateLimited, retryable, type SendFailure } from '../contract';

/**
 * OK gives no retry delay with its flood errors; we wait this long before trying again. An
 * assumption (OK publishes no figure): long enough for a per-minute window to roll over halfway.
 */
export const okFloodRetryAfterMs = 30_000;

/** An OK API error body: `{"error_code":102,"error_msg":"PARAM_SESSION_EXPIRED : Session expired"}`. */
export interface OkApiError {
  error_code: number;
  error_msg?: string;
  error_data?: unknown;
}

/** A failed call, as every `SendResult` failure helper returns it. */
export type OkFailure = { ok: false; failure: SendFailure };

type ErrorMapper = (error: OkApiError) => OkFailure;

const permanentAs =
  (reason: PermanentReason, what: string): ErrorMapper =>
  (error) =>
    permanent(reason, `${what} (${error.error_msg ?? `OK error ${error.error_code}`})`, error.error_code);
const retryLater: ErrorMapper = (error) =>
  retryable(`OK is temporarily failing: ${error.error_msg ?? error.error_code}`, error.error_code);
const slowDown: ErrorMapper = (error) => rateLimited(okFloodRetryAfterMs, error.error_code);

/**
 * OK error codes (apiok.ru "Коды ошибок" / https://apiok.ru/en/dev/errors) → what the caller does.
 * Codes not listed are permanent `rejected`, carrying OK's code and message.
 */
export const okErrorTable: Readonly<Record<number, ErrorMapper>> = {
  1: retryLater, // UNKNOWN
  2: retryLater, // SERVICE: temporarily unavailable
  30: retryLater, // NETWORK
  31: retryLater, // NETWORK_TIMEOUT
  9999: retryLater, // SYSTEM
  8: slowDown, // FLOOD_BLOCKED
  11: slowDown, // LIMIT_REACHED: method call limit
  7: permanentAs('rejected', 'action blocked by OK'), // ACTION_BLOCKED
  10: permanentAs('auth', 'the token lacks the permission'), // PERMISSION_DENIED
  100: permanentAs('content-invalid', 'OK refused a parameter'), // PARAM
  102: permanentAs('auth', 'the group access token expired or was revoked'), // PARAM_SESSION_EXPIRED
  103: permanentAs('auth', 'the group access token is invalid'), // PARAM_SESSION_KEY
  104: permanentAs('auth', 'invalid request signature'), // PARAM_SIGNATURE
  200: permanentAs('auth', 'the application may not do this'), // PARAM_PERMISSION
  300: permanentAs('recipient-invalid', 'not found'), // NOT_FOUND
  454: permanentAs('rejected', 'text rejected by the OK censor'), // CENSOR_MATCH
  455: permanentAs('blocked', 'the user restricts messages'), // FRIEND_RESTRICTION
  456: permanentAs('not-allowed', 'the group restricts this operation'), // GROUP_RESTRICTION
  458: permanentAs('blocked', 'the user does not accept messages from this group'), // PRIVACY_RESTRICTION
  511: permanentAs('rejected', 'rejected by OK anti-spam'), // IDS_BLOCKED
  705: permanentAs('not-allowed', 'no such chat: the user must write to the group first'), // CHAT_NOT_FOUND
};

/** Maps an OK error body through `okErrorTable`. */
export function mapOkError(error: OkApiError): OkFailure {
  const mapper = okErrorTable[error.error_code] ?? permanentAs('rejected', 'OK refused the request');
  return mapper(error);
}

/** Whether an answer body is an OK error (OK answers errors with HTTP 200 too). */
export function isOkApiError(body: unknown): body is OkApiError {
  return typeof body === 'object' && body !== null && typeof (body as OkApiError).error_code === 'number';
}
