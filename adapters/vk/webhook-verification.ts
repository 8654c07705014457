import { createHash } from 'node:crypto';
import { constantTimeEqual, parseJsonBody } from '../shared/signatures';
import { type CallbackEnvelope, callbackEnvelope } from './callback-schema';
import type { VkConfig } from './config-schema';

/**
 * Outcome of checking a Callback API request:
 * - `confirmation`: VK asks for the confirmation string (answered with `config.confirmationCode`);
 * - `event`: a genuine event, with its stable key;
 * - `rejected`: forged (403) or malformed (400).
 */
export type CallbackCheck =
  | { kind: 'confirmation' }
  | { kind: 'event'; envelope: CallbackEnvelope; key: string }
  | { kind: 'rejected'; status: 400 | 403; reason: string };

const reject = (status: 400 | 403, reason: string): CallbackCheck => ({ kind: 'rejected', status, reason });

/**
 * The URL Vestnik registers as the Callback API server: the channel's webhook URL with the core's
 * per-channel key as `?key=`. VK's own `secret` is chosen by the admin (and may be weak), so the
 * unguessable key is checked first, before the body is even parsed.
 */
export function callbackServerUrl(webhook: { url: string; key: string }): string {
  const url = new URL(webhook.url);
  url.searchParams.set('key', webhook.key);
  return url.toString();
}

/** The event's key: VK's `event_id`, or for versions without it, a digest of the exact bytes. */
function eventKeyOf(envelope: CallbackEnvelope, rawBody: Buffer): string {
  if (envelope.event_id) return envelope.event_id;
  return `${envelope.type}:${envelope.group_id}:${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`;
}

/**
 * Verifies a Callback API request: the URL key (constant time), then JSON and the envelope, the
 * community id, and — for everything but `confirmation`, which carries no secret — the `secret`
 * in the body (constant time).
 */
export function checkCallback(
  config: VkConfig,
  urlKey: string,
  request: { method: string; query: Readonly<Record<string, string | undefined>>; rawBody: Buffer },
): CallbackCheck {
  if (!constantTimeEqual(request.query.key ?? '', urlKey)) return reject(403, 'missing or wrong URL key');
  if (request.method !== 'POST') return reject(400, 'VK Callback API requests are POSTs');
  const envelope = callbackEnvelope.safeParse(parseJsonBody(request.rawBody));
  if (!envelope.success) return reject(400, 'not a Callback API event');
  if (envelope.data.group_id !== config.groupId) return reject(403, 'event for another community');
  const { secret, type } = envelope.data;
  const secretOk =
    secret === undefined ? type === 'confirmation' : constantTimeEqual(secret, config.secretKey);
  if (!secretOk) return reject(403, 'wrong secret');
  if (type === 'confirmation') return { kind: 'confirmation' };
  return { kind: 'event', envelope: envelope.data, key: eventKeyOf(envelope.data, request.rawBody) };
}
