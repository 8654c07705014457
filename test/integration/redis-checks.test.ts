import { type ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createLogger } from '../../src/logging/logger';
import { connectRedis, RedisUnreachableError } from '../../src/queue/redis-connection';
import { findFreePort, startFerretDb } from '../../src/storage/ferretdb/ferretdb-process';
import { createTestStack } from '../helpers/test-stack';

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('Redis start-up checks', () => {
  let server: ChildProcess | undefined;
  afterEach(() => server?.kill('SIGKILL'));

  it('warns when maxmemory-policy would let Redis evict queued jobs', async () => {
    const port = await findFreePort();
    server = spawn(
      'redis-server',
      ['--port', String(port), '--save', '', '--maxmemory-policy', 'allkeys-lru'],
      {
        stdio: 'ignore',
      },
    );
    const { logger, lines } = capturingLogger();
    let redis: Awaited<ReturnType<typeof connectRedis>> | undefined;
    for (let attempt = 0; attempt < 50 && !redis; attempt += 1) {
      redis = await connectRedis(`redis://127.0.0.1:${port}`, logger, 500).catch(() => undefined);
      if (!redis) await sleep(100);
    }
    await redis?.quit();
    expect(lines.join('')).toContain(
      'Redis maxmemory-policy is \\"allkeys-lru\\"; BullMQ needs \\"noeviction\\"',
    );
  });

  it('fails fast with one clear line when Redis does not answer', async () => {
    const port = await findFreePort();
    const { logger } = capturingLogger();
    const started = Date.now();
    const attempt = connectRedis(`redis://user:secret@127.0.0.1:${port}`, logger, 1000);
    await expect(attempt).rejects.toThrow(RedisUnreachableError);
    await expect(attempt).rejects.toThrow(`Cannot reach Redis at 127.0.0.1:${port}`);
    await expect(attempt).rejects.not.toThrow('secret');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('readiness', () => {
  it('answers 503 problem+json naming the dependency that is down', async () => {
    const stack = await createTestStack('ready');
    try {
      await request(stack.app).get('/readyz').expect(200);
      stack.redis.disconnect();
      const res = await request(stack.app).get('/readyz').expect(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ code: 'service.not_ready' });
      expect(res.body.detail).toMatch(/^redis: /);
    } finally {
      stack.redis.connect().catch(() => {});
      await sleep(100);
      await stack.close();
    }
  });
});

describe('embedded FerretDB process', () => {
  it('reports a wrong binary as one clear error, not a crash', async () => {
    await expect(
      startFerretDb({ binary: '/nonexistent/ferretdb', dataDir: '/tmp/vestnik-no-ferret' }),
    ).rejects.toThrow('FerretDB (/nonexistent/ferretdb) did not start');
  });
});
