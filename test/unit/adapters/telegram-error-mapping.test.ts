import { TelegramError } from 'telegraf';
import { defaultRetryAfterMs, failureFrom } from '../../../adapters/telegram/error-mapping';

/** A Bot API error body exactly as api.telegram.org sends it, thrown the way telegraf throws it. */
const apiError = (error_code: number, description: string, parameters?: { retry_after?: number }) =>
  new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });

describe('telegram error mapping', () => {
  it.each([
    [403, 'Forbidden: bot was blocked by the user', 'blocked'],
    [403, 'Forbidden: user is deactivated', 'no-account'],
    [403, "Forbidden: bot can't initiate conversation with a user", 'not-allowed'],
    [403, "Forbidden: bot can't send messages to bots", 'not-allowed'],
    [403, 'Forbidden: bot was kicked from the group chat', 'blocked'],
    [400, 'Bad Request: message is too long', 'content-too-long'],
    [400, 'Bad Request: chat not found', 'no-account'],
    [400, 'Bad Request: BUTTON_DATA_INVALID', 'content-invalid'],
    [400, 'Bad Request: message to delete not found', 'rejected'],
    [401, 'Unauthorized', 'auth'],
    [404, 'Not Found', 'rejected'],
  ])('maps %i "%s" to permanent %s', (code, description, reason) => {
    expect(failureFrom(apiError(code, description)).failure).toMatchObject({
      kind: 'permanent',
      reason,
      code,
    });
  });

  it('takes the delay of a 429 from parameters.retry_after', () => {
    expect(
      failureFrom(apiError(429, 'Too Many Requests: retry after 35', { retry_after: 35 })).failure,
    ).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 35_000,
      code: 429,
    });
    expect(failureFrom(apiError(429, 'Too Many Requests')).failure).toMatchObject({
      retryAfterMs: defaultRetryAfterMs,
    });
  });

  it('treats 5xx (telegraf reports the HTTP status text) and non-API errors as retryable', () => {
    expect(failureFrom(apiError(502, 'Bad Gateway')).failure).toEqual({
      kind: 'retryable',
      reason: 'Telegram answered 502 Bad Gateway',
      code: 502,
    });
    const aborted = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' });
    expect(failureFrom(aborted).failure).toEqual({ kind: 'retryable', reason: 'network error: AbortError' });
    expect(failureFrom(new SyntaxError('Unexpected token < in JSON')).failure).toMatchObject({
      kind: 'retryable',
    });
  });
});
