import { type PermanentReason, permanent, rateLimited, retryable, type SendResult } from '../contract';

/**
 * A Graph API error body (`{"error": {...}}`), as the Cloud API answers failures:
 * `{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
 * "error_data":{"messaging_product":"whatsapp","details":"..."},"fbtrace_id":"..."}}`.
 */
export interface GraphError {
  code: number;
  message?: string;
  type?: string;
  error_subcode?: number;
  error_data?: { messaging_product?: string; details?: string };
  is_transient?: boolean;
  fbtrace_id?: string;
}

/**
 * Fixed retry delays: the Cloud API's throttling errors carry no delay of their own.
 * - 130429 (throughput): throughput is counted per second, so one second.
 * - 131056 (pair rate limit): Meta allows about one message every 6 seconds to the same user.
 * - 80007 / 4 (WABA / app call limits): these windows are hourly; a minute, unless the
 *   `x-business-use-case-usage` header gives `estimated_time_to_regain_access` (minutes).
 */
export const throughputRetryAfterMs = 1_000;
export const pairRateRetryAfterMs = 6_000;
export const callLimitRetryAfterMs = 60_000;

/** What the answer's headers say about waiting, when they say anything. */
export interface RetryHint {
  retryAfterMs: number | null;
}

type ErrorMapper = (error: GraphError, hint: RetryHint) => SendResult;

/** `130429 Rate limit hit: Cloud API message throughput has been reached.` */
export function describeGraphError(error: GraphError): string {
  const title = (error.message ?? 'Graph API error').replace(/^\(#\d+\)\s*/, '');
  const details = error.error_data?.details;
  return details ? `${error.code} ${title}: ${details}` : `${error.code} ${title}`;
}

const refuse =
  (reason: PermanentReason): ErrorMapper =>
  (error) =>
    permanent(reason, describeGraphError(error), error.code);
const retryLater: ErrorMapper = (error) => retryable(describeGraphError(error), error.code);
const slowDown =
  (fixedMs: number): ErrorMapper =>
  (error, hint) =>
    rateLimited(hint.retryAfterMs ?? fixedMs, error.code);

/**
 * Cloud API error codes ("Error codes", developers.facebook.com/docs/whatsapp/cloud-api/support/
 * error-codes) → what the caller does. Codes not listed: retryable when Graph marks them
 * `is_transient`, otherwise permanent `rejected` carrying Meta's code and text.
 */
export const graphErrorTable: Readonly<Record<number, ErrorMapper>> = {
  0: refuse('auth'), // AuthException
  190: refuse('auth'), // Access token has expired / is invalid
  10: refuse('auth'), // Permission denied
  200: refuse('auth'), // API permission
  3: refuse('auth'), // API method: capability or permissions issue
  1: retryLater, // API Unknown
  2: retryLater, // API Service: temporary downtime
  131000: retryLater, // Something went wrong
  131016: retryLater, // Service unavailable
  4: slowDown(callLimitRetryAfterMs), // API Too Many Calls
  80007: slowDown(callLimitRetryAfterMs), // WABA rate limit
  130429: slowDown(throughputRetryAfterMs), // Rate limit hit (throughput)
  131056: slowDown(pairRateRetryAfterMs), // (Business, Consumer) pair rate limit hit
  131047: refuse('window-closed'), // Re-engagement message: more than 24 h since the user wrote
  131026: refuse('no-account'), // Message undeliverable (not on WhatsApp, old app, blocked…)
  131021: refuse('recipient-invalid'), // Recipient cannot be sender
  100: refuse('content-invalid'), // Invalid parameter
  131008: refuse('content-invalid'), // Required parameter is missing
  131009: refuse('content-invalid'), // Parameter value is not valid
  131051: refuse('content-invalid'), // Unsupported message type
  131052: refuse('content-invalid'), // Media download error
  131053: refuse('content-invalid'), // Media upload error
  132000: refuse('content-invalid'), // Template param count mismatch
  132012: refuse('content-invalid'), // Template parameter format mismatch
  132001: refuse('template-not-approved'), // Template does not exist (in that language / approved)
  132015: refuse('template-not-approved'), // Template is paused
  132016: refuse('template-not-approved'), // Template is disabled
  368: refuse('not-allowed'), // Temporarily blocked for policy violations
  131031: refuse('not-allowed'), // Business account has been locked
  133010: refuse('not-allowed'), // Phone number not registered on the Cloud API
};

/** Maps a Graph error through `graphErrorTable`. */
export function mapGraphError(error: GraphError, hint: RetryHint): SendResult {
  const mapper = graphErrorTable[error.code];
  if (mapper) return mapper(error, hint);
  return error.is_transient ? retryLater(error, hint) : refuse('rejected')(error, hint);
}

/** The `error` object of a Graph error body, or `null` when the body is not one. */
export function parseGraphError(body: unknown): GraphError | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  return typeof (error as GraphError).code === 'number' ? (error as GraphError) : null;
}

/**
 * Delay the answer's headers ask for: HTTP `Retry-After` (seconds), else the largest
 * `estimated_time_to_regain_access` (minutes) in `x-business-use-case-usage`.
 */
export function retryHintFrom(headers: Headers): RetryHint {
  const retryAfter = Number(headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return { retryAfterMs: retryAfter * 1000 };
  const minutes = regainAccessMinutes(headers.get('x-business-use-case-usage'));
  return { retryAfterMs: minutes > 0 ? minutes * 60_000 : null };
}

function regainAccessMinutes(header: string | null): number {
  if (!header) return 0;
  try {
    const usage = JSON.parse(header) as Record<string, Array<{ estimated_time_to_regain_access?: unknown }>>;
    const values = Object.values(usage)
      .flat()
      .map((entry) => Number(entry?.estimated_time_to_regain_access ?? 0));
    return Math.max(0, ...values.filter(Number.isFinite));
  } catch {
    return 0;
  }
}
