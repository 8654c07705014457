import { setTimeout as sleep } from 'node:timers/promises';

/** One request of an open-loop load: when it was due, how long it took, what it answered. */
export interface OfferedRequest {
  dueAt: number;
  /** `performance.now()` when it went out (behind `dueAt` when the generator falls behind). */
  sentAt: number;
  ms: number;
  status: number;
  id: string | null;
}

/** One request of an open load: where it goes and what it carries. */
export interface OfferedCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Offers `rate` requests per second for `seconds`, open loop: each request goes out when it is
 * due, whether or not the earlier ones were answered (a closed loop would slow down with the
 * server and hide its queueing). `call(i)` makes the i-th request; `onSent(i, at)` is told when
 * it went out (`performance.now()`).
 */
export async function offerRequests(options: {
  rate: number;
  seconds: number;
  call: (index: number) => OfferedCall;
  onSent?: (index: number, at: number) => void;
}): Promise<OfferedRequest[]> {
  const total = Math.round(options.rate * options.seconds);
  const started = performance.now();
  const pending: Promise<OfferedRequest>[] = [];
  for (let i = 0; i < total; i += 1) {
    const dueAt = started + (i * 1000) / options.rate;
    const wait = dueAt - performance.now();
    if (wait > 1) await sleep(wait);
    const call = options.call(i);
    options.onSent?.(i, performance.now());
    pending.push(post(call, dueAt));
  }
  return Promise.all(pending);
}

/** `offerRequests` of authenticated JSON POSTs to one URL; `body(i)` makes the i-th body. */
export function offerLoad(options: {
  url: string;
  apiKey: string;
  rate: number;
  seconds: number;
  body: (index: number) => unknown;
}): Promise<OfferedRequest[]> {
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };
  return offerRequests({
    rate: options.rate,
    seconds: options.seconds,
    call: (index) => ({ url: options.url, headers, body: JSON.stringify(options.body(index)) }),
  });
}

async function post(call: OfferedCall, dueAt: number): Promise<OfferedRequest> {
  const sent = performance.now();
  try {
    const response = await fetch(call.url, { method: 'POST', headers: call.headers, body: call.body });
    const answer = (await response.json().catch(() => ({}))) as { id?: unknown };
    return {
      dueAt,
      sentAt: sent,
      ms: performance.now() - sent,
      status: response.status,
      id: typeof answer.id === 'string' ? answer.id : null,
    };
  } catch {
    return { dueAt, sentAt: sent, ms: performance.now() - sent, status: 0, id: null };
  }
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}
