import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkEndpointUrl, type LookupAll, type ResolvedAddress, resolveSafeAddress } from './ssrf-guard';

/** Total budget of one attempt: connect, send, status and the body snippet. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** How much of the receiver's answer is kept (and read at all). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = 'Vestnik-Webhooks/1';

/** One POST of a signed body to an endpoint. */
export interface SafeDeliveryInput {
  url: string;
  /** Usually `signDelivery(...).headers`; `content-type`, `content-length` and `user-agent` are added. */
  headers: Readonly<Record<string, string>>;
  body: string;
  allowPrivate: boolean;
  /** DNS resolution, injectable for tests; defaults to `dns/promises.lookup`. */
  lookup?: LookupAll;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** The receiver answered (any status: 3xx are returned as they are, never followed). */
export interface DeliveryResponse {
  status: number;
  /** The raw `Retry-After` header, for `nextAttempt`. */
  retryAfter: string | null;
  /** The first `maxResponseBytes` of the body, as UTF-8 (a split character becomes U+FFFD). */
  bodySnippet: string;
  durationMs: number;
}

/** No answer: `refused-address` happens before any connection is opened. */
export interface DeliveryFailure {
  error: 'timeout' | 'refused-address' | 'network';
  detail: string;
}

export type DeliveryResult = DeliveryResponse | DeliveryFailure;

/**
 * POSTs `body` to `url` without opening an SSRF hole: the URL is checked, the host resolved and
 * every address checked, then the socket connects to that checked address only (a `lookup`
 * that returns it, so a DNS answer changing between check and connect is never used). TLS still
 * verifies the certificate against the URL's hostname. No redirects, no connection reuse
 * (`agent: false`: a pooled socket would skip the check), one total timeout.
 *
 * Not promised: retries; feed the result to `nextAttempt`. Never throws.
 */
export async function safeDelivery(input: SafeDeliveryInput): Promise<DeliveryResult> {
  const checkedUrl = checkEndpointUrl(input.url, { allowPrivate: input.allowPrivate });
  if (!checkedUrl.ok) return { error: 'refused-address', detail: checkedUrl.detail };
  const url = checkedUrl.value;
  const resolved = await resolveSafeAddress(url.hostname, {
    allowPrivate: input.allowPrivate,
    lookup: input.lookup,
  });
  if (!resolved.ok) {
    const error = resolved.reason === 'dns-failed' ? 'network' : 'refused-address';
    return { error, detail: resolved.detail };
  }
  return post(url, resolved.value, input);
}

function post(url: URL, pinned: ResolvedAddress, input: SafeDeliveryInput): Promise<DeliveryResult> {
  const startedAt = performance.now();
  const timeoutMs = input.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise<DeliveryResult>((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, requestOptions(pinned, input, signal), (res) => {
      readSnippet(res, input.maxResponseBytes ?? MAX_RESPONSE_BYTES)
        .then((bodySnippet) => resolve(toResponse(res, bodySnippet, startedAt)))
        .catch((error: unknown) => resolve(toFailure(error, signal, timeoutMs)));
    });
    req.on('error', (error) => resolve(toFailure(error, signal, timeoutMs)));
    req.end(input.body);
  });
}

function requestOptions(
  pinned: ResolvedAddress,
  input: SafeDeliveryInput,
  signal: AbortSignal,
): RequestOptions {
  return {
    method: 'POST',
    agent: false,
    lookup: pinnedLookup(pinned),
    signal,
    headers: {
      ...input.headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(input.body)),
      'user-agent': USER_AGENT,
    },
  };
}

/**
 * A `lookup` that answers every query with the checked address. `net` asks with `all: true` when
 * it races address families (`autoSelectFamily`), so both callback shapes are served.
 */
export function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname: string, options: LookupOptions, callback) => {
    if (options.all) {
      const all: LookupAddress[] = [{ address: pinned.address, family: pinned.family }];
      (callback as (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void)(null, all);
      return;
    }
    callback(null, pinned.address, pinned.family);
  };
}

/** Reads at most `limit` bytes, then drops the rest of the answer (and the socket). */
function readSnippet(res: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => resolve(Buffer.concat(chunks, Math.min(size, limit)).toString('utf8'));
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size < limit) return;
      res.removeAllListeners('end');
      res.destroy();
      finish();
    });
    res.on('end', finish);
    res.on('error', reject);
  });
}

function toResponse(res: IncomingMessage, bodySnippet: string, startedAt: number): DeliveryResponse {
  const retryAfter = res.headers['retry-after'];
  return {
    status: res.statusCode ?? 0,
    retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
    bodySnippet,
    durationMs: Math.round(performance.now() - startedAt),
  };
}

function toFailure(error: unknown, signal: AbortSignal, timeoutMs: number): DeliveryFailure {
  if (signal.aborted) return { error: 'timeout', detail: `no complete answer within ${timeoutMs} ms` };
  const { code, message } = error as NodeJS.ErrnoException;
  return { error: 'network', detail: code ? `${code}: ${message}` : message };
}
