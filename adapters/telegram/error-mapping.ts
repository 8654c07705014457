import { TelegramError } from 'telegraf';
import { permanent, rateLimited, retryable, type SendFailure } from '../contract';

type Failure = { ok: false; failure: SendFailure };

/** What a Bot API error says: `error_code`, `description`, `parameters.retry_after` (https://core.telegram.org/bots/api#making-requests). */
interface BotApiError {
  code: number;
  description: string;
  retryAfterSeconds: number | undefined;
}

interface ErrorRule {
  code: number;
  /** Matched against `description`, case-insensitively; absent: any description. */
  description?: RegExp;
  failure(error: BotApiError): Failure;
}

/** Used when a 429 comes without `parameters.retry_after` (never seen in practice). */
export const defaultRetryAfterMs = 1_000;

/**
 * Bot API errors → what the caller should do. First matching row wins; unmatched 4xx are permanent
 * `rejected`, 5xx (and anything that is not a Bot API error at all: network, timeout, an HTML page)
 * are retryable. Descriptions are the API's own texts.
 */
const errorRules: readonly ErrorRule[] = [
  {
    code: 429,
    failure: (e) =>
      rateLimited(e.retryAfterSeconds === undefined ? defaultRetryAfterMs : e.retryAfterSeconds * 1000, 429),
  },
  { code: 401, failure: (e) => permanent('auth', `bot token rejected: ${e.description}`, 401) },
  {
    code: 403,
    description: /bot was blocked by the user/i,
    failure: (e) => permanent('blocked', e.description, 403),
  },
  {
    code: 403,
    description: /user is deactivated/i,
    failure: (e) => permanent('no-account', e.description, 403),
  },
  {
    code: 403,
    description: /can't initiate conversation|bot can't send messages to bots/i,
    failure: (e) => permanent('not-allowed', e.description, 403),
  },
  {
    code: 403,
    description: /bot was kicked|not a member/i,
    failure: (e) => permanent('blocked', e.description, 403),
  },
  { code: 403, failure: (e) => permanent('not-allowed', e.description, 403) },
  {
    code: 400,
    description: /message is too long|caption is too long/i,
    failure: (e) => permanent('content-too-long', e.description, 400),
  },
  {
    code: 400,
    description: /chat not found|user not found|PEER_ID_INVALID/i,
    failure: (e) => permanent('no-account', e.description, 400),
  },
  {
    code: 400,
    description: /BUTTON_|keyboard|reply markup|message text is empty|IMAGE_PROCESS_FAILED|PHOTO_/i,
    failure: (e) => permanent('content-invalid', e.description, 400),
  },
  { code: 409, failure: (e) => permanent('rejected', e.description, 409) },
];

function asBotApiError(error: unknown): BotApiError | null {
  if (!(error instanceof TelegramError)) return null;
  return {
    code: error.code,
    description: error.description ?? '',
    retryAfterSeconds: error.parameters?.retry_after,
  };
}

/** Maps whatever telegraf threw to a typed failure. Never throws. */
export function failureFrom(error: unknown): Failure {
  const apiError = asBotApiError(error);
  if (!apiError) return retryable(`network error: ${error instanceof Error ? error.name : 'unknown'}`);
  if (apiError.code >= 500)
    return retryable(`Telegram answered ${apiError.code} ${apiError.description}`, apiError.code);
  const rule = errorRules.find(
    (candidate) =>
      candidate.code === apiError.code && (candidate.description?.test(apiError.description) ?? true),
  );
  return rule
    ? rule.failure(apiError)
    : permanent('rejected', `${apiError.code}: ${apiError.description}`, apiError.code);
}

/** The Bot API error code and description, when `error` is one (for logs and withdraw/download decisions). */
export function botApiErrorOf(error: unknown): { code: number; description: string } | null {
  const apiError = asBotApiError(error);
  return apiError ? { code: apiError.code, description: apiError.description } : null;
}

/** `<code>: <description>` for a Bot API error, `network error` for anything else (connect/download details). */
export function describeBotApiError(error: unknown): string {
  const apiError = asBotApiError(error);
  return apiError ? `${apiError.code}: ${apiError.description}` : 'network error';
}
