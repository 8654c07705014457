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
}

export interface RunResult {
  requestsPerSec: number;
  p99Ms: number;
}

/** One request before any load: the target must answer 200, else the benchmark would measure errors. */
export async function assertAnswers200(name: string, target: LoadTarget): Promise<void> {
  const response = await fetch(target.url, { headers: target.headers });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `${name}: GET ${target.url} answered ${response.status}, expected 200: ${body.slice(0, 500)}`,
    );
  }
}

async function fire(target: LoadTarget, settings: LoadSettings, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    headers: target.headers,
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration: seconds,
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
