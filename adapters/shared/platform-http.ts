import type { DownloadResult, SendFailure } from '../contract';

/** A platform HTTP answer, body parsed as JSON when it is JSON (else the text). */
export interface PlatformResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export type PlatformCall = { ok: true; response: PlatformResponse } | { ok: false; failure: SendFailure };

export interface PlatformRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string, Buffer or URLSearchParams / FormData. */
  body?: unknown;
  timeoutMs: number;
}

function encodeBody(
  body: unknown,
  headers: Record<string, string>,
): string | URLSearchParams | FormData | Uint8Array | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams || body instanceof FormData) return body;
  if (Buffer.isBuffer(body)) return new Uint8Array(body);
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * One request to a platform API with a timeout. Network errors and timeouts become a
 * `retryable` failure; every HTTP answer (including 4xx/5xx) is returned for the adapter to map,
 * since platforms put their error codes in the body.
 */
export async function callPlatform(request: PlatformRequest): Promise<PlatformCall> {
  const headers = { ...(request.headers ?? {}) };
  try {
    const body = encodeBody(request.body, headers);
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return {
      ok: true,
      response: { status: response.status, headers: response.headers, body: await parseBody(response) },
    };
  } catch (error) {
    const reason = isTimeout(error)
      ? `timed out after ${request.timeoutMs} ms`
      : `network error: ${describe(error)}`;
    return { ok: false, failure: { kind: 'retryable', reason } };
  }
}

/** An abort by `AbortSignal.timeout`, which fetch reports either directly or as the cause. */
function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: unknown }).cause;
  return error.name === 'TimeoutError' || (cause instanceof Error && cause.name === 'TimeoutError');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Downloads a file, refusing more than `maxBytes` (checked on Content-Length and while reading). */
export async function downloadLimited(
  url: string,
  options: { headers?: Record<string, string>; maxBytes: number; timeoutMs: number },
): Promise<DownloadResult> {
  try {
    const response = await fetch(url, {
      headers: options.headers ?? {},
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.status === 404)
      return { ok: false, reason: 'not-found', detail: 'the platform no longer has this file' };
    if (!response.ok || !response.body)
      return { ok: false, reason: 'failed', detail: `HTTP ${response.status}` };
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > options.maxBytes) return tooLarge(options.maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > options.maxBytes) return tooLarge(options.maxBytes);
      chunks.push(Buffer.from(chunk));
    }
    const declaredType = response.headers.get('content-type')?.split(';')[0]?.trim();
    const mimeType = declaredType || 'application/octet-stream';
    return { ok: true, file: { data: Buffer.concat(chunks), mimeType } };
  } catch (error) {
    return { ok: false, reason: 'failed', detail: describe(error) };
  }
}

function tooLarge(maxBytes: number): DownloadResult {
  return { ok: false, reason: 'too-large', detail: `file exceeds the attachment limit of ${maxBytes} bytes` };
}
