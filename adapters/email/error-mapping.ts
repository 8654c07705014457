import { type PermanentReason, permanent, rateLimited, retryable, type SendFailure } from '../contract';

/**
 * Delay reported for a throttling reply that names no delay. SMTP has no Retry-After: Gmail says
 * "Please resend your message at a later time" (450 4.2.1), so we wait a minute.
 */
export const defaultRateLimitDelayMs = 60_000;

/** What nodemailer tells about a failed send (`NodemailerError`, reduced to what we map). */
export interface SmtpFailure {
  /** nodemailer's code: `EENVELOPE`, `EMESSAGE`, `EAUTH`, `ECONNECTION`, `ETIMEDOUT`… */
  code?: string;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number;
  /** The server's reply text, e.g. `550 5.1.1 User unknown`. */
  response?: string;
  /** The SMTP command the server answered: `MAIL FROM`, `RCPT TO`, `DATA`, `AUTH PLAIN`… */
  command?: string;
  message: string;
}

type Failed = { ok: false; failure: SendFailure };
type Mapper = (failure: SmtpFailure) => Failed;

/** Reply texts that mean "slow down" rather than "try later" (Gmail 450 4.2.1, 421 4.7.0). */
const throttlingPatterns: readonly RegExp[] = [
  /\brate\b/i,
  /rate.?limit/i,
  /too many (?:messages|mails?|e-?mails|connections|requests)\b/i,
  /too (?:quickly|fast)\b/i,
  /throttl/i,
];

const delayUnits: Readonly<Record<string, number>> = { s: 1000, sec: 1000, m: 60_000, min: 60_000 };

/** The delay a reply names ("retry in 7 seconds", "try again after 2 minutes"), in ms. */
export function delayNamedIn(text: string): number | null {
  const match = /\b(?:in|after)\s+(\d{1,5})\s*(sec|s|min|m)[a-z]*\b/i.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const unit = delayUnits[match[2].toLowerCase()];
  return unit === undefined ? null : Number(match[1]) * unit;
}

const replyText = (failure: SmtpFailure): string =>
  (failure.response ?? failure.message).replace(/\s+/g, ' ').trim().slice(0, 300);

const codeOf = (failure: SmtpFailure): string | number => failure.responseCode ?? failure.code ?? 'smtp';

const temporary: Mapper = (failure) => {
  const text = replyText(failure);
  if (!throttlingPatterns.some((pattern) => pattern.test(text))) return retryable(text, codeOf(failure));
  return rateLimited(delayNamedIn(text) ?? defaultRateLimitDelayMs, codeOf(failure));
};
const final =
  (reason: PermanentReason): Mapper =>
  (failure) =>
    permanent(reason, replyText(failure), codeOf(failure));
const transient: Mapper = (failure) => retryable(replyText(failure), codeOf(failure));

/**
 * RFC 3463 enhanced status codes that say more than the reply code (a `552 5.2.2` is a full
 * mailbox, not an oversized message). Looked up first, for permanent (5.x.x) replies only.
 */
const enhancedStatusTable: Readonly<Record<string, Mapper>> = {
  '5.1.1': final('no-account'),
  '5.1.2': final('recipient-invalid'),
  '5.1.3': final('recipient-invalid'),
  '5.1.6': final('no-account'),
  '5.1.10': final('recipient-invalid'),
  '5.2.1': final('no-account'),
  '5.2.2': final('rejected'),
  '5.2.3': final('content-too-long'),
  '5.3.4': final('content-too-long'),
  // Gmail `550 5.4.5 Daily user sending quota exceeded`: our account, not the recipient.
  '5.4.5': final('rejected'),
  '5.7.1': final('not-allowed'),
  '5.7.8': final('auth'),
};

/** RFC 5321 §4.2.3 reply codes. */
const replyCodeTable: Readonly<Record<number, Mapper>> = {
  421: temporary,
  450: temporary,
  451: temporary,
  452: temporary,
  454: temporary,
  530: final('auth'),
  534: final('auth'),
  535: final('auth'),
  550: final('no-account'),
  551: final('no-account'),
  552: final('content-too-long'),
  553: final('recipient-invalid'),
  554: final('rejected'),
};

/** nodemailer error codes for failures that carry no SMTP reply. */
const errorCodeTable: Readonly<Record<string, Mapper>> = {
  ECONNECTION: transient,
  ETIMEDOUT: transient,
  ESOCKET: transient,
  EDNS: transient,
  ETLS: transient,
  EPROXY: transient,
  EMAXLIMIT: transient,
  EAUTH: final('auth'),
  ENOAUTH: final('auth'),
  EENVELOPE: final('recipient-invalid'),
};

const enhancedStatusOf = (response: string | undefined): string | null =>
  /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1] ?? null;

/** A permanent refusal of MAIL FROM is about our sender (not owned by the login, SPF…), not the recipient. */
const senderRefusalCodes: readonly number[] = [550, 551, 553, 554];
const refusesSender = (failure: SmtpFailure, responseCode: number): boolean =>
  failure.command === 'MAIL FROM' && senderRefusalCodes.includes(responseCode);

function byReply(failure: SmtpFailure, responseCode: number): Failed {
  if (refusesSender(failure, responseCode)) return final('not-allowed')(failure);
  const enhanced = enhancedStatusOf(failure.response);
  const byEnhanced = enhanced?.startsWith('5.') ? enhancedStatusTable[enhanced] : undefined;
  const mapper = byEnhanced ?? replyCodeTable[responseCode];
  if (mapper) return mapper(failure);
  // RFC 5321: 4yz is a transient negative completion, 5yz a permanent one.
  return responseCode >= 500 ? final('rejected')(failure) : temporary(failure);
}

/** Maps a nodemailer failure to what the caller should do: retry, wait, or give up. */
export function mapSmtpFailure(failure: SmtpFailure): Failed {
  if (failure.responseCode !== undefined && failure.responseCode >= 400) {
    return byReply(failure, failure.responseCode);
  }
  const mapper = failure.code === undefined ? undefined : errorCodeTable[failure.code];
  return (mapper ?? transient)(failure);
}

/** Reads the fields we map from whatever nodemailer threw. */
export function smtpFailureOf(error: unknown): SmtpFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = error as Error & {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    command?: unknown;
  };
  return {
    message: error.message,
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.responseCode === 'number' ? { responseCode: fields.responseCode } : {}),
    ...(typeof fields.response === 'string' ? { response: fields.response } : {}),
    ...(typeof fields.command === 'string' ? { command: fields.command } : {}),
  };
}
