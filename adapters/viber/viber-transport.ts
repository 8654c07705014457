import JSONbig from 'json-bigint';
import type { SendFailure } from '../contract';

/**
 * Viber answers every API call as JSON with `status` (0 = ok) and `status_message`, and errors as
 * HTTP 200 with a non-zero `status`. `message_token` is a 64-bit integer written as a JSON number.
 */
export interface ViberApiResponse {
  status: number;
  status_message?: string;
  /** A decimal string when above 2^53 (json-bigint `storeAsString`), a number when small. */
  message_token?: string | number;
  [field: string]: unknown;
}

/** A Viber answer with a non-zero `status` (Viber's errors come as HTTP 200). */
export class ViberStatusError extends Error {
  constructor(readonly response: ViberApiResponse) {
    super(`Viber status ${response.status} ${response.status_message ?? ''}`.trim());
    this.name = 'ViberStatusError';
  }
}

/** A request that got no usable Viber answer (network error, timeout, 5xx, HTML page). */
export class ViberTransportError extends Error {
  constructor(readonly failure: Extract<SendFailure, { kind: 'retryable' }>) {
    super(failure.reason);
    this.name = 'ViberTransportError';
  }
}

/**
 * viber-bot 1.0.18 `lib/viber-client.js` endpoint names → paths (its private `API_ENDPOINTS`).
 */
const viberEndpointPaths: Readonly<Record<string, string>> = {
  setWebhook: '/set_webhook',
  getAccountInfo: '/get_account_info',
  getUserDetails: '/get_user_details',
  getOnlineStatus: '/get_online',
  sendMessage: '/send_message',
  post: '/post',
};

/** Parses Viber JSON keeping integers above 2^53 (message tokens) exact, as decimal strings. */
export const viberJson = JSONbig({ storeAsString: true });

/** What one request needs besides the endpoint and its data. */
export interface ViberTransportOptions {
  baseUrl: string;
  authToken: string;
  userAgent: string;
  timeoutMs: number;
}

/**
 * One Viber API call, byte-compatible with viber-bot's `ViberClient._sendRequest` (POST JSON with
 * `auth_token` in the body and the `X-Viber-Auth-Token` header), but reading the raw answer with
 * json-bigint and bounded by a timeout. Resolves with the body when `status` is 0, rejects with
 * `ViberStatusError` otherwise (viber-bot's `_readData` rejects too, with the bare body), and with
 * `ViberTransportError` when no Viber answer came back.
 */
export async function sendViberRequest(
  endpoint: string,
  data: Record<string, unknown>,
  options: ViberTransportOptions,
): Promise<ViberApiResponse> {
  const path = viberEndpointPaths[endpoint];
  if (!path) throw new Error(`viber-bot asked for an unknown endpoint "${endpoint}"`);
  const response = await post(`${options.baseUrl}${path}`, data, options);
  const body = await readViberBody(response);
  if (body.status !== 0) throw new ViberStatusError(body);
  return body;
}

async function post(
  url: string,
  data: Record<string, unknown>,
  options: ViberTransportOptions,
): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-viber-auth-token': options.authToken,
        'user-agent': options.userAgent,
      },
      body: JSON.stringify({ auth_token: options.authToken, ...data }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut =
      typeof error === 'object' && error !== null && Reflect.get(error, 'name') === 'TimeoutError';
    throw transportError(
      timedOut ? `timed out after ${options.timeoutMs} ms` : `network error: ${describe(error)}`,
    );
  }
}

/** The Viber body of an answer, or `ViberTransportError` when it is not one (5xx, HTML, garbage). */
async function readViberBody(response: Response): Promise<ViberApiResponse> {
  const text = await response.text().catch(() => '');
  if (response.status >= 500) throw transportError(`Viber answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = viberJson.parse(text);
  } catch {
    throw transportError(`Viber answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (!isViberResponse(body)) throw transportError(`Viber answered HTTP ${response.status} without a status`);
  return body;
}

function isViberResponse(body: unknown): body is ViberApiResponse {
  return typeof body === 'object' && body !== null && typeof Reflect.get(body, 'status') === 'number';
}

function transportError(reason: string): ViberTransportError {
  return new ViberTransportError({ kind: 'retryable', reason });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = Reflect.get(error, 'cause');
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
