import type { Response } from 'express';
import type { SeededRandom } from '../../seeded-random';
import { newMessageToken, viberChatHostname, viberWireJson } from './wire';

/**
 * Viber REST API "Error Codes" (developers.viber.com/docs/api/rest-bot-api/#error-codes): every
 * failure is HTTP 200 with a non-zero `status` and `status_message` set to the error's name.
 */
export const viberStatus = {
  ok: 0,
  invalidUrl: 1,
  invalidAuthToken: 2,
  badData: 3,
  missingData: 4,
  receiverNotRegistered: 5,
  receiverNotSubscribed: 6,
  publicAccountBlocked: 7,
  publicAccountNotFound: 8,
  publicAccountSuspended: 9,
  webhookNotSet: 10,
  receiverNoSuitableDevice: 11,
  tooManyRequests: 12,
  apiVersionNotSupported: 13,
  incompatibleWithVersion: 14,
  publicAccountNotAuthorized: 15,
  inchatReplyMessageNotAllowed: 16,
  publicAccountIsNotInline: 17,
  noPublicChat: 18,
  cannotSendBroadcast: 19,
  broadcastNotAllowed: 20,
  unsupportedCountry: 21,
  paymentUnsupported: 22,
  freeMessagesExceeded: 23,
  noBalance: 24,
} as const;

export type ViberStatusName = keyof typeof viberStatus;

/** A failure the routes raise; answered as HTTP 200 `{status, status_message}`. */
export class ViberApiError extends Error {
  constructor(
    readonly statusName: Exclude<ViberStatusName, 'ok'>,
    detail?: string,
  ) {
    super(detail ?? statusName);
  }
}

/** Writes a Viber JSON answer (HTTP 200, bigint tokens as bare numbers). */
export function sendViberJson(res: Response, body: Record<string, unknown>): void {
  res.status(200).type('application/json').send(viberWireJson.stringify(body));
}

/** Answers a `ViberApiError` the way Viber does. */
export function sendViberError(res: Response, error: ViberApiError): void {
  sendViberJson(res, { status: viberStatus[error.statusName], status_message: error.statusName });
}

/**
 * The real rate-limit answer (creators.viber.com/docs/bots-api/resources/messaging/send-message):
 * HTTP 200 `{"status":12,"status_message":"Too many requests","message_token":…,"chat_hostname":…}`.
 * Viber states no retry delay, so `retryAfterSeconds` has no place in it.
 */
export function sendTooManyRequests(res: Response, random: SeededRandom): void {
  sendViberJson(res, {
    status: viberStatus.tooManyRequests,
    status_message: 'Too many requests',
    message_token: newMessageToken(random),
    chat_hostname: viberChatHostname,
  });
}
