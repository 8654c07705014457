import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { RequestObserver } from './request-observer';

export interface HttpMetrics {
  registry: Registry;
  /** Counts and times a finished request under its route pattern. */
  observe: RequestObserver;
}

/** A registry per app (no global state) with default process metrics and per-route HTTP metrics. */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vestnik_' });
  const requests = new Counter({
    name: 'vestnik_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'vestnik_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Label children are cached per (method, route, status): prom-client then skips hashing the
  // label set on every request.
  const counters = new Map<string, ReturnType<typeof requests.labels>>();
  const timers = new Map<string, ReturnType<typeof duration.labels>>();
  const observe: RequestObserver = (req, res, durationMs) => {
    const route = routeLabel(req.baseUrl, (req.route as { path?: string } | undefined)?.path);
    const timerKey = `${req.method} ${route}`;
    const counterKey = `${timerKey} ${res.statusCode}`;
    let counter = counters.get(counterKey);
    if (!counter) {
      counter = requests.labels(req.method, route, String(res.statusCode));
      counters.set(counterKey, counter);
    }
    let timer = timers.get(timerKey);
    if (!timer) {
      timer = duration.labels(req.method, route);
      timers.set(timerKey, timer);
    }
    counter.inc();
    timer.observe(durationMs / 1000);
  };
  return { registry, observe };
}

/** The matched route pattern (bounded cardinality), or `unmatched`. */
function routeLabel(baseUrl: string, routePath: string | undefined): string {
  return routePath === undefined ? 'unmatched' : `${baseUrl}${routePath}`;
}
