/**
 * Why a send failed, typed so the caller knows what to do:
 * - `retryable`: network error, 5xx, timeout — try again later with backoff;
 * - `rate-limited`: the platform said slow down; wait `retryAfterMs`;
 * - `permanent`: will never succeed as asked (blocked, no account, window closed, invalid content).
 */
export type SendFailure =
  | { kind: 'retryable'; reason: string; code?: string | number }
  | { kind: 'rate-limited'; retryAfterMs: number; code?: string | number }
  | { kind: 'permanent'; reason: PermanentReason; detail: string; code?: string | number };

export type PermanentReason =
  | 'content-invalid'
  | 'content-too-long'
  | 'blocked'
  | 'not-allowed'
  | 'privacy'
  | 'no-account'
  | 'window-closed'
  | 'template-not-approved'
  | 'recipient-invalid'
  | 'auth'
  | 'rejected';

export type SendResult = { ok: true; externalMessageId: string } | { ok: false; failure: SendFailure };

export type WithdrawResult = { ok: true } | { ok: false; failure: SendFailure };

export const sent = (externalMessageId: string): SendResult => ({ ok: true, externalMessageId });
export const retryable = (reason: string, code?: string | number): { ok: false; failure: SendFailure } => ({
  ok: false,
  failure: { kind: 'retryable', reason, ...(code === undefined ? {} : { code }) },
});
export const rateLimited = (
  retryAfterMs: number,
  code?: string | number,
): { ok: false; failure: SendFailure } => ({
  ok: false,
  failure: { kind: 'rate-limited', retryAfterMs, ...(code === undefined ? {} : { code }) },
});
export const permanent = (
  reason: PermanentReason,
  detail: string,
  code?: string | number,
): { ok: false; failure: SendFailure } => ({
  ok: false,
  failure: { kind: 'permanent', reason, detail, ...(code === undefined ? {} : { code }) },
});

/** One line for logs and `ConnectResult.detail`, without tokens or personal data. */
export function describeSendFailure(failure: SendFailure): string {
  if (failure.kind === 'permanent') return failure.detail;
  return failure.kind === 'retryable' ? failure.reason : `rate limited for ${failure.retryAfterMs} ms`;
}
