import ipaddr from 'ipaddr.js';
import type { WebhookRequest } from '../contract';
import { constantTimeEqual } from '../shared/signatures';

/** The query parameter carrying the per-channel secret in the URL we subscribe. */
export const okWebhookKeyParam = 'key';

/**
 * OK signs nothing: the unguessable `?key=` in the subscribed URL is the proof a request comes from
 * OK (the URL is known only to OK and us). Optionally the peer address must be inside one of
 * `allowedRanges` (OK's published source ranges).
 */
export interface OkWebhookVerifier {
  verify(request: WebhookRequest): { ok: true } | { ok: false; reason: string };
}

type ParsedRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseRanges(ranges: readonly string[]): ParsedRange[] {
  return ranges.map((range) => ipaddr.parseCIDR(range));
}

/** Whether `address` (IPv4, IPv6 or IPv4-mapped IPv6) lies in one of `ranges`. */
export function addressInRanges(address: string, ranges: readonly ParsedRange[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return ranges.some(([base, bits]) => parsed.kind() === base.kind() && parsed.match(base, bits));
}

/** Builds the verifier for one channel's key and source-address allowlist (empty = not enforced). */
export function createWebhookVerifier(key: string, allowedSourceIps: readonly string[]): OkWebhookVerifier {
  const ranges = parseRanges(allowedSourceIps);
  return {
    verify(request) {
      const given = request.query[okWebhookKeyParam];
      if (!given || !constantTimeEqual(given, key)) return { ok: false, reason: 'webhook key mismatch' };
      if (ranges.length > 0 && !addressInRanges(request.remoteAddress, ranges)) {
        return { ok: false, reason: 'webhook source address is outside the allowed ranges' };
      }
      return { ok: true };
    },
  };
}

/** The URL to subscribe: the channel's webhook URL with `?key=` added, unless it already has one. */
export function subscriptionUrl(webhook: { url: string; key: string }): string {
  const url = new URL(webhook.url);
  if (!url.searchParams.has(okWebhookKeyParam)) url.searchParams.set(okWebhookKeyParam, webhook.key);
  return url.toString();
}
