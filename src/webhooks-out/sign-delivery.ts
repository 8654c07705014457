import { Webhook } from 'standardwebhooks';

/**
 * The three Standard Webhooks headers, lower-case, exactly as they go on the wire. A type alias (not
 * an interface) so that it passes as a plain `Record<string, string>` of request headers.
 */
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** What to sign for one delivery attempt. */
export interface SignDeliveryInput {
  /** The endpoint's `whsec_…` secret. */
  secret: string;
  /**
   * The id of the event being delivered (e.g. the outbox event's id), used verbatim as
   * `webhook-id`. Pass the EVENT id, never an attempt id: the header must be the same on every
   * retry so that receivers can use it as their idempotency key. 1–255 characters of
   * `[A-Za-z0-9_.:-]`, so it is a safe header value.
   */
  messageId: string;
  /** When this attempt is made. Re-sign on each retry so receivers' 5-minute tolerance holds. */
  timestamp: Date;
  /** The event body (`{ type, timestamp, data }`); serialised once here with `JSON.stringify`. */
  payload: Readonly<Record<string, unknown>>;
}

/** Headers and the exact body they sign. Send `body` byte for byte: any change breaks the signature. */
export interface SignedDelivery {
  headers: WebhookSignatureHeaders;
  body: string;
}

const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;

/**
 * Signs one delivery attempt with the official `standardwebhooks` library:
 * `webhook-signature` is `v1,` + base64 HMAC-SHA256 over `${id}.${seconds}.${body}`.
 *
 * Not promised: key rotation (one `v1` signature per call; a caller rotating secrets can join the
 * signatures of two calls with a space, as the spec allows).
 *
 * @throws TypeError when `messageId` is not a safe header value or the timestamp is invalid.
 */
export function signDelivery(input: SignDeliveryInput): SignedDelivery {
  assertSignable(input);
  const body = JSON.stringify(input.payload);
  const signature = new Webhook(input.secret).sign(input.messageId, input.timestamp, body);
  return {
    headers: {
      'webhook-id': input.messageId,
      'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  };
}

/**
 * Checks that `messageId` can be a `webhook-id` (1–255 characters of `[A-Za-z0-9_.:-]`).
 *
 * @throws TypeError when it cannot.
 */
export function assertMessageId(messageId: string): void {
  if (!MESSAGE_ID_PATTERN.test(messageId)) {
    throw new TypeError(
      `webhook message id must match ${MESSAGE_ID_PATTERN}, got ${JSON.stringify(messageId)}`,
    );
  }
}

function assertSignable({ messageId, timestamp }: SignDeliveryInput): void {
  assertMessageId(messageId);
  if (Number.isNaN(timestamp.getTime())) {
    throw new TypeError('webhook timestamp is an invalid Date');
  }
}
