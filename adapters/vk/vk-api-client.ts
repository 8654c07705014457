import http from 'node:http';
import https from 'node:https';
import { APIError, APIRequest, VK } from 'vk-io';
import { retryable, type SendResult } from '../contract';
import { defaultVkApiBaseUrl, type VkConfig } from './config-schema';
import { mapVkError } from './error-mapping';

/** The API version every call and the Callback API server use. */
export const vkApiVersion = '5.199';

type Failure = Extract<SendResult, { ok: false }>;
export type VkCall<T> = { ok: true; response: T } | Failure;

const tooManyRequests = 6;

/**
 * vk-io's worker answers error 6 "Too many requests per second" by pausing and replaying the call
 * on its own. Vestnik's queue owns pacing and retries across workers, so this request surfaces the
 * error instead: thrown from `make()`, it reaches the worker's failure path, which (with
 * `apiRetryLimit: 0`) rejects the call with it.
 */
class SurfacedRateLimitRequest extends APIRequest {
  override async make(): Promise<unknown> {
    const result: unknown = await super.make();
    const error = (result as { error?: { error_code?: unknown } } | null)?.error;
    if (error && Number(error.error_code) === tooManyRequests) {
      throw new APIError(error as ConstructorParameters<typeof APIError>[0]);
    }
    return result;
  }
}

/** node-fetch (under vk-io) needs an agent of the URL's protocol; the sandbox speaks plain HTTP. */
function agentFor(baseUrl: string): https.Agent {
  if (new URL(baseUrl).protocol === 'https:') return new https.Agent({ keepAlive: true });
  // vk-io types the option as an https.Agent but hands it to node-fetch, which takes any http.Agent.
  return new http.Agent({ keepAlive: true }) as https.Agent;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return `VK API request failed: ${String(error)}`;
  if (error.name === 'AbortError') return 'VK API request timed out';
  return `VK API request failed: ${error.message.slice(0, 200)}`;
}

const stripCode = (message: string): string => message.replace(/^Code №\d+ - /, '');

/**
 * VK API calls through vk-io (form-encoded POST to `<apiBaseUrl>/<method>` with `access_token`
 * and `v`), returning typed failures instead of throwing: VK errors through the error table,
 * network errors, timeouts and non-JSON answers (HTML 5xx pages) as `retryable`.
 */
export class VkApiClient {
  private readonly vk: VK;
  private readonly agent: https.Agent;

  constructor(config: VkConfig, timeoutMs: number) {
    const apiBaseUrl = config.apiBaseUrl ?? defaultVkApiBaseUrl;
    this.agent = agentFor(apiBaseUrl);
    this.vk = new VK({
      token: config.accessToken,
      apiBaseUrl,
      apiVersion: vkApiVersion,
      apiLimit: 20,
      apiRetryLimit: 0,
      apiTimeout: timeoutMs,
      agent: this.agent,
    });
  }

  async call<T>(method: string, params: Record<string, unknown>): Promise<VkCall<T>> {
    const request = new SurfacedRateLimitRequest({ api: this.vk.api, method, params });
    try {
      return { ok: true, response: (await this.vk.api.callWithRequest(request)) as T };
    } catch (error) {
      if (error instanceof APIError) return mapVkError(Number(error.code), stripCode(error.message));
      return retryable(describeFailure(error));
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
