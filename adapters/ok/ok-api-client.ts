import { rateLimited, retryable, type SendResult, sent } from '../contract';
import { callPlatform, type PlatformResponse } from '../shared/platform-http';
import { isOkApiError, mapOkError, type OkFailure, okFloodRetryAfterMs } from './error-mapping';
import type { OkSendMessageBody } from './outbound-renderer';

/** A chat id in OK's `chat:<id>` form; anything else never reaches a URL path. */
export const okChatIdPattern = /^chat:[A-Za-z0-9]{1,64}$/;

export type OkCallResult = { ok: true; body: Record<string, unknown> } | OkFailure;

/**
 * The few Graph API calls the Bot API needs, over plain HTTP. OK authenticates by `access_token` in
 * the query; POST bodies are JSON with `Content-Type: application/json;charset=utf-8` as the docs ask.
 * OK answers errors with HTTP 200 and `{error_code, error_msg}`, so every answer body is inspected.
 */
export class OkApiClient {
  constructor(private readonly options: { apiBaseUrl: string; accessToken: string; timeoutMs: number }) {}

  /** `POST /graph/me/messages/{chat_id}` → the new message's `mid`. */
  async sendMessage(body: OkSendMessageBody): Promise<SendResult> {
    const answer = await this.post(`/graph/me/messages/${body.recipient.chat_id}`, body);
    if (!answer.ok) return answer;
    const messageId = answer.body.message_id;
    if (answer.body.success === true && typeof messageId === 'string' && messageId.length > 0) {
      return sent(messageId);
    }
    return retryable('OK answered without a message id');
  }

  /** `POST /graph/me/subscribe` `{url}`. */
  subscribe(url: string): Promise<OkCallResult> {
    return this.post('/graph/me/subscribe', { url });
  }

  /** `POST /graph/me/unsubscribe` `{url}`. */
  unsubscribe(url: string): Promise<OkCallResult> {
    return this.post('/graph/me/unsubscribe', { url });
  }

  private async post(path: string, body: unknown): Promise<OkCallResult> {
    const call = await callPlatform({
      method: 'POST',
      url: this.url(path),
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify(body),
      timeoutMs: this.options.timeoutMs,
    });
    return call.ok ? interpret(call.response) : call;
  }

  private url(path: string): string {
    const query = new URLSearchParams({ access_token: this.options.accessToken });
    return `${this.options.apiBaseUrl}${path}?${query.toString()}`;
  }
}

/** An HTTP answer → the body, or the failure it means (5xx / HTML → retryable, OK error → table). */
function interpret(response: PlatformResponse): OkCallResult {
  const { status, body } = response;
  if (isOkApiError(body)) return mapOkError(body);
  if (status === 429) return rateLimited(okFloodRetryAfterMs, 429);
  if (status >= 500 || typeof body !== 'object' || body === null) {
    return retryable(`OK answered HTTP ${status} without a JSON body`, status);
  }
  if (status >= 400) return retryable(`OK answered HTTP ${status}`, status);
  return { ok: true, body: body as Record<string, unknown> };
}
