import autocannon from 'autocannon';

export interface LoadSettings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  pipelining: number;
}

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  /** For POST targets: a fresh body and its headers per request (unique ids, signatures). */
  post?: () => { body: string; headers: Record<string, string> };
}

export interface RunResult {
  requestsPerSec: number;
  p99Ms: number;
}

/** One request before any load: the target must answer 200, else the benchmark would measure errors. */
export async function assertAnswers200(name: string, target: LoadTarget): Promise<void> {
  const post = target.post?.();
  const response = await fetch(target.url, {
    method: post ? 'POST' : 'GET',
    headers: { ...target.headers, ...(post?.headers ?? {}) },
    ...(post ? { body: post.body } : {}),
  });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `${name}: GET ${target.url} answered ${response.status}, expected 200: ${body.slice(0, 500)}`,
    );
  }
}

async function fire(target: LoadTarget, settings: LoadSettings, seconds: number): Promise<autocannon.Result> {
  const { post } = target;
  return autocannon({
    url: target.url,
    headers: target.headers,
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration: seconds,
    ...(post
      ? {
          requests: [
            {
              method: 'POST' as const,
              setupRequest: (request: autocannon.Request) => {
                const next = post();
                return { ...request, body: next.body, headers: { ...request.headers, ...next.headers } };
              },
            },
          ],
        }
      : {}),
  });
}

/** A discarded warm-up (JIT, connection pools, caches), then the measured run. Any error fails it. */
export async function measure(name: string, target: LoadTarget, settings: LoadSettings): Promise<RunResult> {
  if (settings.warmupSeconds > 0) await fire(target, settings, settings.warmupSeconds);
  const result = await fire(target, settings, settings.durationSeconds);
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0 || result.requests.total === 0) {
    throw new Error(
      `${name}: ${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; refusing to report`,
    );
  }
  return { requestsPerSec: result.requests.average, p99Ms: result.latency.p99 };
}
