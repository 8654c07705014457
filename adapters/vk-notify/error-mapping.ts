import { type PermanentReason, permanent, rateLimited, retryable, type SendResult, sent } from '../contract';
import type { PlatformResponse } from '../shared/platform-http';
import { acceptedBody, errorBody } from './wire-format';

/** Delay reported when a 429 carries no usable `Retry-After` (the gateway's window is one second). */
export const defaultRetryAfterMs = 1000;

/** Gateway error codes → why the send can never succeed as asked. Unknown 4xx codes: `rejected`. */
export const permanentByCode: Readonly<Record<string, PermanentReason>> = {
  unauthorized: 'auth',
  invalid_request: 'content-invalid',
  invalid_ttl: 'content-invalid',
  missing_param: 'content-invalid',
  invalid_phone: 'recipient-invalid',
  template_not_found: 'template-not-approved',
  template_not_approved: 'template-not-approved',
  text_too_long: 'content-too-long',
  idempotency_conflict: 'rejected',
};

/** Seconds of a `Retry-After` header (delta-seconds form) in milliseconds. */
export function retryAfterMs(headers: Headers): number {
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : defaultRetryAfterMs;
}

/** The gateway's error `{code, message}`, or `null` when the body is not the gateway's (HTML, proxy). */
export function gatewayError(response: PlatformResponse): { code: string; message: string } | null {
  const parsed = errorBody.safeParse(response.body);
  return parsed.success ? parsed.data.error : null;
}

/** Maps the answer to `POST /v1/notify` to a send result. */
export function mapNotifyResponse(response: PlatformResponse): SendResult {
  if (response.status === 429) return rateLimited(retryAfterMs(response.headers), 'rate_limit_exceeded');
  if (response.status >= 500) return retryable(`gateway answered HTTP ${response.status}`, response.status);
  if (response.status >= 200 && response.status < 300) {
    const accepted = acceptedBody.safeParse(response.body);
    return accepted.success
      ? sent(accepted.data.id)
      : retryable('gateway accepted the notification without an id', response.status);
  }
  const error = gatewayError(response);
  if (!error)
    return retryable(`gateway answered HTTP ${response.status} without an error body`, response.status);
  return permanent(permanentByCode[error.code] ?? 'rejected', error.message || error.code, error.code);
}
