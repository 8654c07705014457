import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { envSchema } from '../../src/config/env-schema';

const root = path.join(__dirname, '..', '..');

const args = z.union([z.string().transform((s) => s.split(/\s+/).filter(Boolean)), z.array(z.string())]);
const envValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const environment = z.union([
  z.record(z.string(), envValue),
  z.array(z.string()).transform((list) => Object.fromEntries(list.map((e) => e.split(/=(.*)/s).slice(0, 2)))),
]);
const service = z.object({
  image: z.string().optional(),
  build: z
    .union([z.string(), z.object({ context: z.string(), dockerfile: z.string().optional() })])
    .optional(),
  command: args.optional(),
  environment: environment.optional(),
  ports: z.array(z.unknown()).optional(),
  container_name: z.string().optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: args, disable: z.boolean().optional() }).optional(),
});
const composeSchema = z.object({
  services: z.object({ mongo: service, redis: service, api: service, worker: service }).catchall(service),
  volumes: z.record(z.string(), z.unknown()).optional(),
});

function loadCompose() {
  const raw: unknown = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
  const result = composeSchema.safeParse(raw);
  if (!result.success)
    throw new Error(`docker-compose.yml has an unexpected shape:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** The value following `flag` in an argument list (`--replSet rs0` gives `rs0`). */
function flagValue(list: string[] | undefined, flag: string): string | undefined {
  const i = (list ?? []).indexOf(flag);
  return i >= 0 ? list?.[i + 1] : undefined;
}

const compose = loadCompose();
const { mongo, redis, api, worker } = compose.services;
const appServices = { api, worker };

describe('docker-compose.yml', () => {
  it('runs MongoDB 7 as a replica set', () => {
    expect(mongo.image).toMatch(/^mongo:7(\b|$)/);
    expect(flagValue(mongo.command, '--replSet')).toBeTruthy();
  });

  it('runs Redis with noeviction (BullMQ) and an append-only file', () => {
    expect(redis.image).toMatch(/^redis:7/);
    expect(flagValue(redis.command, '--maxmemory-policy')).toBe('noeviction');
    expect(flagValue(redis.command, '--appendonly')).toBe('yes');
  });

  it.each(Object.entries(appServices))(
    '%s is built from this repository and its Dockerfile',
    (_name, svc) => {
      const build = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
      expect(build?.context).toBe('.');
      const dockerfile = path.join(root, build?.context ?? '.', build?.dockerfile ?? 'Dockerfile');
      expect(existsSync(dockerfile)).toBe(true);
    },
  );

  it.each(Object.entries(appServices))('%s connects to the replica set started by mongo', (_name, svc) => {
    const replSet = flagValue(mongo.command, '--replSet');
    expect(String(svc.environment?.MONGODB_URI)).toContain(`replicaSet=${replSet}`);
    expect(String(svc.environment?.REDIS_URL)).toMatch(/^redis:\/\/redis:6379/);
  });

  it.each(Object.entries(appServices))('%s only sets variables the config schema knows', (_name, svc) => {
    const known = Object.keys(envSchema.shape);
    const unknownNames = Object.keys(svc.environment ?? {}).filter((name) => !known.includes(name));
    expect(unknownNames).toEqual([]);
  });

  it('runs api as `serve` and worker as `worker`', () => {
    expect(api.command).toEqual(['serve']);
    expect(worker.command).toEqual(['worker']);
  });

  it('lets the worker scale (no published ports, no fixed container name)', () => {
    expect(worker.ports).toBeUndefined();
    expect(worker.container_name).toBeUndefined();
  });

  it.each(Object.keys(compose.services))('%s has an enabled healthcheck', (name) => {
    const check = compose.services[name]?.healthcheck;
    expect(check).toBeDefined();
    expect(check?.disable).not.toBe(true);
    expect(check?.test[0]).not.toBe('NONE');
  });

  it.each(Object.entries(appServices))('%s waits for healthy mongo and redis', (_name, svc) => {
    expect(svc.depends_on?.mongo?.condition).toBe('service_healthy');
    expect(svc.depends_on?.redis?.condition).toBe('service_healthy');
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync(path.join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const fromIndexes = lines.flatMap((line, i) => (/^FROM\s/i.test(line) ? [i] : []));

  it('is a multi-stage build', () => {
    expect(fromIndexes.length).toBeGreaterThanOrEqual(2);
  });

  it('runs the final stage as the non-root node user with a healthcheck', () => {
    const finalStage = lines.slice(fromIndexes.at(-1) ?? 0);
    expect(finalStage).toContain('USER node');
    expect(finalStage.some((line) => /^HEALTHCHECK\s/i.test(line))).toBe(true);
  });

  it('copies only folders that exist in the build context', () => {
    const sources = lines
      .filter((line) => /^COPY\s/i.test(line) && !/--from=/i.test(line))
      .flatMap((line) =>
        line
          .split(/\s+/)
          .slice(1, -1)
          .filter((arg) => !arg.startsWith('--')),
      );
    expect(sources.filter((source) => !existsSync(path.join(root, source)))).toEqual([]);
  });
});
