import { createHash } from 'node:crypto';
import { headerValue } from '../shared/request-headers';
import { constantTimeEqual } from '../shared/signatures';

/** The header Telegram puts the webhook's `secret_token` in (https://core.telegram.org/bots/api#setwebhook). */
export const secretTokenHeader = 'x-telegram-bot-api-secret-token';

/** setWebhook `secret_token`: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed." */
const allowedSecret = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The `secret_token` we register for a channel key. A key Telegram accepts is used as is; any other
 * key (other characters, longer than 256) becomes its SHA-256 in hex (64 allowed characters), so
 * every key the core generates fits.
 */
export function secretTokenFor(webhookKey: string): string {
  return allowedSecret.test(webhookKey) ? webhookKey : createHash('sha256').update(webhookKey).digest('hex');
}

/**
 * Whether the request carries our secret, compared in constant time. A missing or wrong header is
 * the same failure: the caller answers 401.
 */
export function hasValidSecret(
  headers: Readonly<Record<string, string | undefined>>,
  expectedToken: string,
): boolean {
  const presented = headerValue(headers, secretTokenHeader);
  return presented !== undefined && constantTimeEqual(presented, expectedToken);
}
