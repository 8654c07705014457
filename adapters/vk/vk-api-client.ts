import http from 'node:http';
import https from 'node:https';
import { type API, APIError, APIErrorCode, APIRequest, VK } from 'vk-io';
import { retryable, type SendResult } from '../contract';
import { defaultVkApiBaseUrl, type VkConfig } from './config-schema';
import { mapVkError } from './error-mapping';

/** The API version every call and the Callback API server use. */
export const vkApiVersion = '5.199';

/** Requests per second VK allows a community token (dev.vk.com/ru/api/api-requests). */
export const vkRequestsPerSecond = 20;

type Failure = Extract<SendResult, { ok: false }>;
export type VkCall<T> = { ok: true; response: T } | Failure;

/** VK's answer envelope: `{response}` or `{error: {error_code, error_msg, request_params}}`, HTTP 200. */
interface VkEnvelope {
  response?: unknown;
  error?: { error_code?: unknown; error_msg?: unknown };
}

const isEnvelope = (body: unknown): body is VkEnvelope =>
  typeof body === 'object' && body !== null && ('response' in body || 'error' in body);

/** JSON that is neither `{response}` nor `{error}` (a proxy's or load balancer's own answer). */
class NoApiAnswerError extends Error {
  override readonly name = 'NoApiAnswerError';
}

/**
 * vk-io's `APIRequest`, unchanged on the wire, except that error 6 ("Too many requests per
 * second") is thrown from `make()` instead of returned. vk-io's worker pauses and replays an
 * error 6 answer by itself, with no limit and no option to turn it off; thrown errors go through
 * its network-error path instead, which `apiRetryLimit: 0` rejects at once — so the caller gets
 * `rateLimited` and Vestnik's queue decides when to try again. JSON without an envelope is thrown
 * too, so it cannot resolve as a successful answer.
 */
class UnreplayedRequest extends APIRequest {
  override async make(): Promise<VkEnvelope> {
    const answer: unknown = await super.make();
    if (!isEnvelope(answer)) throw new NoApiAnswerError('VK answered JSON without response or error');
    const code = Number(answer.error?.error_code);
    if (code === APIErrorCode.TOO_MANY)
      throw new APIError({
        error_code: code,
        error_msg: String(answer.error?.error_msg),
        request_params: [],
      });
    return answer;
  }
}

/** Why a call failed before VK gave an API answer, by the thrown error's name (node-fetch 3). */
const transportFailures: Readonly<Record<string, (error: Error, timeoutMs: number) => string>> = {
  AbortError: (_error, timeoutMs) => `timed out after ${timeoutMs} ms`,
  SyntaxError: () => 'VK answered without an API answer (not JSON: an HTML error page or a 5xx)',
  NoApiAnswerError: (error) => error.message,
};

/** vk-io's `APIError` message is `Code №<code> - <error_msg>`; the table adds the code itself. */
const errorMessageOf = (error: APIError): string => error.message.replace(/^Code №\d+ - /, '');

/**
 * The VK API through vk-io 4.10 (`new VK({...}).api`): a form-encoded POST to
 * `<apiBaseUrl>/<method>` with `access_token`, `v` and the parameters, answered `{response}` or
 * `{error}` with HTTP 200. vk-io paces calls at 20 per second (`apiLimit`, VK's limit for
 * community tokens) and retries nothing (`apiRetryLimit: 0`, error 6 surfaced, see
 * `UnreplayedRequest`): Vestnik's queue owns retries.
 *
 * Calls go through `api.callWithRequest` rather than the typed `api.messages.send(...)`, which
 * builds a plain `APIRequest`; vk-io's response types are not used either, since they type
 * `messages.send` as the `user_ids` variant's array while `peer_id` sends answer a number.
 *
 * Never throws: VK errors map through the error table; network errors, timeouts and answers
 * that are not VK API answers (HTML error pages, 5xx) are `retryable`.
 */
export class VkApiClient {
  private readonly agent: http.Agent;
  private readonly api: API;

  constructor(
    config: VkConfig,
    private readonly timeoutMs: number,
  ) {
    const apiBaseUrl = (config.apiBaseUrl ?? defaultVkApiBaseUrl).replace(/\/+$/, '');
    // vk-io defaults to https.globalAgent, which refuses http:// URLs (the sandbox, a local proxy).
    this.agent = apiBaseUrl.startsWith('http:')
      ? new http.Agent({ keepAlive: true })
      : new https.Agent({ keepAlive: true });
    this.api = new VK({
      token: config.accessToken,
      apiBaseUrl,
      apiVersion: vkApiVersion,
      apiLimit: vkRequestsPerSecond,
      apiMode: 'sequential',
      apiRequestMode: 'sequential',
      apiRetryLimit: 0,
      apiTimeout: timeoutMs,
      // vk-io types the option as an https.Agent; node-fetch takes either kind at run time.
      agent: this.agent as https.Agent,
    }).api;
  }

  async call<T>(method: string, params: object): Promise<VkCall<T>> {
    const request = new UnreplayedRequest({ api: this.api, method, params: { ...params } });
    try {
      const response: T = await this.api.callWithRequest(request);
      return { ok: true, response };
    } catch (error) {
      return this.failureOf(error);
    }
  }

  /** Closes the kept-alive connections. Calls made afterwards open new ones. */
  close(): void {
    this.agent.destroy();
  }

  private failureOf(error: unknown): Failure {
    if (error instanceof APIError) return mapVkError(Number(error.code), errorMessageOf(error));
    if (!(error instanceof Error)) return retryable(`network error: ${String(error)}`);
    const explain = transportFailures[error.name];
    return retryable(explain ? explain(error, this.timeoutMs) : `network error: ${error.message}`);
  }
}
