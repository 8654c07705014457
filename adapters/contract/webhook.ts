import type { NormalizedEvent } from './events';

/** An incoming platform request, as the ingress route saw it. `rawBody` is the exact bytes. */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
  /** Peer address, for source-IP allowlists (OK). */
  remoteAddress: string;
}

/** The exact HTTP answer the platform expects (VK wants `ok` or the confirmation string). */
export interface WebhookResponse {
  status: number;
  contentType: 'text/plain' | 'application/json';
  body: string;
}

/**
 * - `accepted`: verified; `events` to store (maybe none, e.g. a VK confirmation), `response` to send.
 * - `rejected`: failed verification (401/403) or malformed (400); nothing may be stored.
 */
export type WebhookResult =
  | { outcome: 'accepted'; events: NormalizedEvent[]; response: WebhookResponse }
  | { outcome: 'rejected'; status: 400 | 401 | 403; reason: string };

export const textResponse = (body: string, status = 200): WebhookResponse => ({
  status,
  contentType: 'text/plain',
  body,
});
export const jsonResponse = (body: unknown, status = 200): WebhookResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});
export const rejected = (status: 400 | 401 | 403, reason: string): WebhookResult => ({
  outcome: 'rejected',
  status,
  reason,
});
