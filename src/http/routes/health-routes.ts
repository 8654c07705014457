import { Router as createRouter, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import { safeEqual } from '../../auth/secrets';
import { AppError } from '../../errors/app-error';
import { pingMongo } from '../../storage/mongo-connection';
import { noAnswerWithin, withTimeout } from '../../timeouts';
import { credentialOf } from '../authenticate';
import { sendProblem } from '../problem';

export interface HealthDeps {
  mongo: Connection;
  redis: Redis;
  metricsRegistry: Registry;
  metricsToken?: string;
}

const CHECK_TIMEOUT_MS = 1000;

async function check(
  name: string,
  probe: () => Promise<unknown>,
): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    await withTimeout(probe(), CHECK_TIMEOUT_MS, noAnswerWithin(CHECK_TIMEOUT_MS));
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: (error as Error).message };
  }
}

/** `/healthz` (process up), `/readyz` (MongoDB and Redis answer) and `/metrics` (Prometheus). */
export function healthRoutes(deps: HealthDeps): Router {
  const router = createRouter();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.all([
      check('mongodb', () => pingMongo(deps.mongo)),
      check('redis', () => deps.redis.ping()),
    ]);
    const failed = checks.filter((c) => !c.ok);
    if (failed.length === 0) {
      res.json({ status: 'ready', checks: Object.fromEntries(checks.map((c) => [c.name, 'ok'])) });
      return;
    }
    sendProblem(
      res,
      new AppError('service.not_ready', failed.map((c) => `${c.name}: ${c.error}`).join('; '), {
        headers: { 'Retry-After': '5' },
      }),
    );
  });
  router.get('/metrics', async (req, res) => {
    if (deps.metricsToken && !safeEqual(credentialOf(req) ?? '', deps.metricsToken)) {
      throw new AppError('metrics.token_invalid', 'Send `Authorization: Bearer <METRICS_TOKEN>`.');
    }
    res.type(deps.metricsRegistry.contentType).send(await deps.metricsRegistry.metrics());
  });
  return router;
}
