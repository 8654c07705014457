import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Prefix of every endpoint secret, as in the Standard Webhooks spec (`whsec_` + base64). */
export const ENDPOINT_SECRET_PREFIX = 'whsec_';

/** Bounds on the key length, in bytes, that the Standard Webhooks spec recommends. */
export const ENDPOINT_SECRET_MIN_BYTES = 24;
export const ENDPOINT_SECRET_MAX_BYTES = 64;

/** Bytes of randomness in a secret Vestnik generates (256 bits, the HMAC-SHA256 block-friendly size). */
export const DEFAULT_ENDPOINT_SECRET_BYTES = 32;

/**
 * A new per-endpoint signing secret: `whsec_` + standard base64 of `bytes` random bytes from the
 * OS CSPRNG. The `standardwebhooks` library has no generator, so the bytes come from
 * `node:crypto`; the result is then loaded into the library's `Webhook` to prove it accepts it.
 *
 * Not promised: storage. The secret is shown to the business once and must be kept sealed at rest
 * by the caller (like channel secrets).
 *
 * @throws RangeError when `bytes` is not an integer within 24–64.
 */
export function generateEndpointSecret(bytes: number = DEFAULT_ENDPOINT_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < ENDPOINT_SECRET_MIN_BYTES || bytes > ENDPOINT_SECRET_MAX_BYTES) {
    throw new RangeError(
      `webhook endpoint secret length must be an integer of ${ENDPOINT_SECRET_MIN_BYTES}–${ENDPOINT_SECRET_MAX_BYTES} bytes, got ${bytes}`,
    );
  }
  const secret = `${ENDPOINT_SECRET_PREFIX}${randomBytes(bytes).toString('base64')}`;
  new Webhook(secret);
  return secret;
}

/**
 * Whether `secret` is a well-formed endpoint secret: the `whsec_` prefix, canonical standard
 * base64, and 24–64 decoded bytes.
 */
export function isEndpointSecret(secret: string): boolean {
  if (!secret.startsWith(ENDPOINT_SECRET_PREFIX)) return false;
  const encoded = secret.slice(ENDPOINT_SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  if (key.toString('base64') !== encoded) return false;
  return key.length >= ENDPOINT_SECRET_MIN_BYTES && key.length <= ENDPOINT_SECRET_MAX_BYTES;
}
