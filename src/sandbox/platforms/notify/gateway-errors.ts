import type { Response } from 'express';

/**
 * The gateway's error catalog: every code it answers with, and its HTTP status. The body is always
 * `{"error": {"code": "...", "message": "..."}}`.
 */
export const gatewayErrors = {
  unauthorized: 401,
  invalid_request: 400,
  invalid_phone: 400,
  invalid_ttl: 400,
  not_found: 404,
  template_not_found: 404,
  message_not_found: 404,
  template_exists: 409,
  idempotency_conflict: 409,
  template_not_approved: 422,
  missing_param: 422,
  text_too_long: 422,
  rate_limit_exceeded: 429,
} as const;
export type GatewayErrorCode = keyof typeof gatewayErrors;

/** A refusal the route handlers raise; answered by `sendGatewayError`. */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Answers the gateway's error shape, with `Retry-After` for rate limits. */
export function sendGatewayError(res: Response, error: GatewayError): void {
  if (error.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.retryAfterSeconds));
  res.status(gatewayErrors[error.code]).json({ error: { code: error.code, message: error.message } });
}

/** The rate-limit answer, also used for the sandbox `rate-limit` fault. */
export function rateLimitError(retryAfterSeconds: number): GatewayError {
  return new GatewayError(
    'rate_limit_exceeded',
    `too many notifications for this API key; retry in ${retryAfterSeconds} s`,
    retryAfterSeconds,
  );
}
