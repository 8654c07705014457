import { describeSendFailure, type SendFailure } from '../contract';
import { callPlatform } from '../shared/platform-http';
import {
  describeGraphError,
  type GraphError,
  mapGraphError,
  parseGraphError,
  retryHintFrom,
} from './error-mapping';

export interface GraphClientOptions {
  apiBaseUrl: string;
  apiVersion: string;
  accessToken: string;
  timeoutMs: number;
}

/** A Graph API answer: the parsed body on 2xx, else a typed failure (and Meta's error when it sent one). */
export type GraphCall =
  | { ok: true; body: unknown }
  | { ok: false; failure: SendFailure; graphError: GraphError | null; status: number | null };

/**
 * Calls `${apiBaseUrl}/${apiVersion}/${path}` with the bearer token. Every non-2xx answer is mapped
 * through the error table; an answer that is not a Graph error (an HTML 502 from a proxy) is
 * retryable on 5xx / 429 and a permanent `rejected` otherwise.
 */
export class GraphClient {
  constructor(private readonly options: GraphClientOptions) {}

  url(path: string): string {
    return `${this.options.apiBaseUrl}/${this.options.apiVersion}/${path}`;
  }

  get authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.options.accessToken}` };
  }

  async request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<GraphCall> {
    const call = await callPlatform({
      method,
      url: this.url(path),
      headers: this.authorization,
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.options.timeoutMs,
    });
    if (!call.ok) return { ok: false, failure: call.failure, graphError: null, status: null };
    const { status, headers, body: answer } = call.response;
    if (status >= 200 && status < 300) return { ok: true, body: answer };
    const graphError = parseGraphError(answer);
    if (graphError) {
      const mapped = mapGraphError(graphError, retryHintFrom(headers));
      if (!mapped.ok) return { ok: false, failure: mapped.failure, graphError, status };
    }
    return { ok: false, failure: unrecognised(status), graphError, status };
  }
}

function unrecognised(status: number): SendFailure {
  if (status >= 500 || status === 429)
    return { kind: 'retryable', reason: `HTTP ${status} from the Graph API` };
  return { kind: 'permanent', reason: 'rejected', detail: `HTTP ${status} from the Graph API`, code: status };
}

/** One line for logs and `ConnectResult.detail`, without tokens or personal data. */
export function describeFailure(call: Extract<GraphCall, { ok: false }>): string {
  if (call.graphError) return describeGraphError(call.graphError);
  return describeSendFailure(call.failure);
}
