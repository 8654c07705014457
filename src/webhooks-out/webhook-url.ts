import { AppError } from '../errors/app-error';
import { checkEndpointUrl, type LookupAll, resolveSafeAddress, type SsrfGuardOptions } from './ssrf-guard';

export interface WebhookUrlCheckOptions extends SsrfGuardOptions {
  /** DNS resolution, injectable for tests; defaults to the system resolver. */
  lookup?: LookupAll;
}

/**
 * Registration-time check of a URL Vestnik will POST events to (an endpoint, or a notification's
 * `callbackUrl`): the SSRF guard's URL rules, then the host's current DNS answer. A host that
 * resolves to a refused address is refused now; a host that does not resolve at all is accepted
 * (it may be set up later).
 *
 * Not promised: that deliveries will reach it. DNS is checked again before every connection, and a
 * refused address then fails that delivery.
 *
 * @throws AppError `webhook_endpoint.url_refused` (422) saying why.
 */
export async function assertWebhookUrl(raw: string, options: WebhookUrlCheckOptions): Promise<URL> {
  const checked = checkEndpointUrl(raw, options);
  if (!checked.ok) throw refused(checked.detail);
  const resolved = await resolveSafeAddress(checked.value.hostname, options);
  if (!resolved.ok && resolved.reason !== 'dns-failed') throw refused(resolved.detail);
  return checked.value;
}

function refused(detail: string): AppError {
  return new AppError('webhook_endpoint.url_refused', `The URL is refused: ${detail}.`);
}
