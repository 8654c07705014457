import { retryable, type SendResult } from '../contract';
import { callPlatform } from '../shared/platform-http';
import { defaultVkApiBaseUrl, type VkConfig } from './config-schema';
import { mapVkError } from './error-mapping';

/** The API version every call and the Callback API server use. */
export const vkApiVersion = '5.199';

type Failure = Extract<SendResult, { ok: false }>;
export type VkCall<T> = { ok: true; response: T } | Failure;

type ParamValue = string | number | boolean | undefined;

/** VK's answer envelope: `{response}` or `{error: {error_code, error_msg, request_params}}`, HTTP 200. */
interface VkEnvelope {
  response?: unknown;
  error?: { error_code?: unknown; error_msg?: unknown };
}

const isEnvelope = (body: unknown): body is VkEnvelope =>
  typeof body === 'object' && body !== null && ('response' in body || 'error' in body);

/**
 * VK API calls on the wire exactly as vk-io 4.10 makes them (`APIRequest.make`): a form-encoded
 * POST to `<apiBaseUrl>/<method>` with `access_token`, `v` and the parameters; the answer is
 * `{response}` or `{error}` with HTTP 200.
 *
 * Why not vk-io's `API` object itself: vk-io loads node-fetch with a module-level dynamic
 * `import()`, which rejects under jest without `--experimental-vm-modules` and fails every test
 * file that imports this adapter (and the registry); and its worker replays error 6 on its own,
 * while Vestnik's queue owns pacing and retries. Parameter and response types come from vk-io.
 *
 * Never throws: VK errors map through the error table; network errors, timeouts, 5xx and
 * non-JSON answers (HTML error pages) are `retryable`.
 */
export class VkApiClient {
  private readonly baseUrl: string;

  constructor(
    private readonly config: VkConfig,
    private readonly timeoutMs: number,
  ) {
    this.baseUrl = (config.apiBaseUrl ?? defaultVkApiBaseUrl).replace(/\/+$/, '');
  }

  async call<T>(method: string, params: object): Promise<VkCall<T>> {
    const form = new URLSearchParams({ access_token: this.config.accessToken, v: vkApiVersion });
    for (const [key, value] of Object.entries(params as Record<string, ParamValue>)) {
      if (value !== undefined) form.set(key, String(value));
    }
    const result = await callPlatform({
      method: 'POST',
      url: `${this.baseUrl}/${method}`,
      body: form,
      timeoutMs: this.timeoutMs,
    });
    if (!result.ok) return result;
    const { status, body } = result.response;
    if (status >= 500 || !isEnvelope(body))
      return retryable(`VK answered HTTP ${status} without an API answer`);
    if (body.error) return mapVkError(Number(body.error.error_code), String(body.error.error_msg ?? ''));
    return { ok: true, response: body.response as T };
  }
}
