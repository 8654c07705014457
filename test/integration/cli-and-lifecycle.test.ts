import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logging/logger';
import { connectRedis } from '../../src/queue/redis-connection';
import { isProcessAlive } from '../../src/storage/file-lock';
import { deleteKeys, testMongoUri, uniqueName } from '../helpers/test-stack';
import { runVestnik, spawnVestnik } from '../helpers/vestnik-process';

const ferretBin = () => process.env.VESTNIK_TEST_FERRETDB_BIN ?? '';
const prefixes: string[] = [];
const dirs: string[] = [];

function externalEnv(label: string): Record<string, string> {
  const name = uniqueName(label);
  prefixes.push(name.replaceAll('_', '-'));
  return {
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: name,
    QUEUE_PREFIX: name.replaceAll('_', '-'),
    PORT: '0',
    SECRETS_KEY: randomBytes(32).toString('base64'),
  };
}

async function localEnv(label: string): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-local-'));
  dirs.push(dataDir);
  const prefix = uniqueName(label).replaceAll('_', '-');
  prefixes.push(prefix);
  return {
    DATA_DIR: dataDir,
    FERRETDB_BIN: ferretBin(),
    QUEUE_PREFIX: prefix,
    PORT: '0',
    SANDBOX_PORT: '0',
    SANDBOX_SMPP_PORT: '0',
    SANDBOX_SMTP_PORT: '0',
  };
}

afterAll(async () => {
  const redis = await connectRedis('redis://127.0.0.1:6379', createLogger({ level: 'silent' }));
  for (const prefix of prefixes) await deleteKeys(redis, `${prefix}*`);
  await redis.quit();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function getJson(url: string, token?: string) {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('start-up failures are one clear line', () => {
  it.each([
    [{ MONGODB_URI: 'bad://x' }, /^vestnik: Invalid configuration: MONGODB_URI must be a mongodb:\/\/ .*\n$/],
    [{ PORT: 'eighty' }, /^vestnik: Invalid configuration: PORT must be a number \(got "eighty"\)\n$/],
    [
      { REDIS_URL: 'redis://127.0.0.1:1' },
      /^vestnik: Cannot reach Redis at 127\.0\.0\.1:1: .*Start Redis or set REDIS_URL\.\n$/,
    ],
  ])('%j', async (env, expected) => {
    const result = await runVestnik(['start'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(expected);
  });

  it('names a port that is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runVestnik(['serve'], { ...externalEnv('port'), PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('runs the sandbox alone, and names a sandbox port that is taken in one line', async () => {
    const sandbox = spawnVestnik(['sandbox'], {
      SANDBOX_PORT: '0',
      SANDBOX_SMPP_PORT: '0',
      SANDBOX_SMTP_PORT: '0',
    });
    let control: string | undefined;
    for (let i = 0; i < 100 && !control; i += 1) {
      control = /Control API\s+(http:\/\/\S+)\/info/.exec(sandbox.stderr())?.[1];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const info = await getJson(`${control}/info`);
    expect(Object.keys(info.body.platforms as object).sort()).toEqual([
      'email',
      'notify',
      'ok',
      'sms',
      'telegram',
      'viber',
      'vk',
      'whatsapp',
    ]);
    expect((await sandbox.stop('SIGTERM')).code).toBe(0);

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runVestnik(['sandbox'], {
        SANDBOX_PORT: String(port),
        SANDBOX_SMPP_PORT: '0',
        SANDBOX_SMTP_PORT: '0',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `vestnik: A sandbox port on 127.0.0.1 is already in use (SANDBOX_PORT ${port}, SANDBOX_SMPP_PORT 0, SANDBOX_SMTP_PORT 0): stop the other process, set other ports, or SANDBOX=off.\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('validates CLI options', async () => {
    const env = externalEnv('cli-bad');
    const bad = await runVestnik(['apikey', 'create', '--workspace', 'nope'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('vestnik: --workspace must be a workspace id (24 hex characters)\n');
    const missing = await runVestnik(['workspace', 'create'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--name <name>' not specified");
  });
});

describe('several serve and worker processes on one MongoDB and Redis', () => {
  it('run side by side and stop cleanly on SIGTERM', async () => {
    const env = externalEnv('multi');
    const procs = [
      spawnVestnik(['serve'], env),
      spawnVestnik(['serve'], env),
      spawnVestnik(['worker'], env),
      spawnVestnik(['worker'], env),
    ];
    const urls = await Promise.all(procs.map((p) => p.ready()));
    for (const url of urls.filter(Boolean)) expect((await getJson(`${url}/readyz`)).status).toBe(200);
    const created = await runVestnik(['workspace', 'create', '--name', 'Multi', '--json'], env);
    const { apiKey, workspaceId } = JSON.parse(created.stdout) as { apiKey: string; workspaceId: string };
    for (const url of urls.filter(Boolean))
      expect((await getJson(`${url}/v1/workspace`, apiKey)).status).toBe(200);
    const url = urls[0] ?? '';

    // Never a demo workspace against an external database.
    const operators = await getJson(`${url}/v1/operators`, apiKey);
    expect(JSON.stringify(operators.body)).not.toContain('demo.vestnik.local');

    const scoped = await runVestnik(
      [
        'apikey',
        'create',
        '--workspace',
        workspaceId,
        '--scopes',
        'workspace:read',
        '--allow-ip',
        '10.0.0.0/8',
        '--json',
      ],
      env,
    );
    const key = JSON.parse(scoped.stdout) as { key: string; scopes: string[]; allowIps: string[] };
    expect(key).toMatchObject({ scopes: ['workspace:read'], allowIps: ['10.0.0.0/8'] });
    expect((await getJson(`${url}/v1/workspace`, key.key)).body.code).toBe('auth.ip_not_allowed');

    const added = await runVestnik(
      [
        'operator',
        'add',
        '--workspace',
        workspaceId,
        '--email',
        'mod@multi.test',
        '--role',
        'moderator',
        '--json',
      ],
      env,
    );
    const operator = JSON.parse(added.stdout) as { email: string; role: string; password: string };
    expect(operator).toMatchObject({ email: 'mod@multi.test', role: 'moderator' });
    const login = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: operator.email, password: operator.password }),
    });
    expect(login.status).toBe(201);
    const again = await runVestnik(
      ['operator', 'add', '--workspace', workspaceId, '--email', 'mod@multi.test', '--role', 'operator'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'vestnik: An operator with e-mail mod@multi.test already exists in this workspace.\n',
    );
    const stops = await Promise.all(procs.map((p) => p.stop('SIGTERM')));
    for (const stop of stops) {
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(15_000);
    }
  });
});

interface LocalSandbox {
  demo: { apiKey: string };
  sandbox: { control: string; channels: Array<{ id: string; type: string }>; users: Array<{ id: string }> };
}

/** A demo virtual user writes on every chat channel and over SMS; each message must reach its channel's events. */
async function expectInboundOnEveryChannel(local: LocalSandbox, url: string): Promise<void> {
  const user = local.sandbox.users[0]?.id;
  const inbound = ['vk', 'ok', 'telegram', 'viber', 'whatsapp', 'sms'];
  for (const type of inbound) {
    const channel = local.sandbox.channels.find((candidate) => candidate.type === type);
    const text = `Привет, ${type} ${Date.now()}`;
    const sent = await fetch(`${local.sandbox.control}/users/${user}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: type, text }),
    });
    expect(sent.status).toBe(201);
    const deadline = Date.now() + 10_000;
    let texts: string[] = [];
    while (Date.now() < deadline && !texts.includes(text)) {
      const events = await getJson(`${url}/v1/channels/${channel?.id}/events`, local.demo.apiKey);
      texts = (events.body.items as Array<{ event: { text?: string } }>).map((item) => item.event.text ?? '');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect({ type, texts }).toEqual({ type, texts: expect.arrayContaining([text]) });
  }
}

describe('local mode (embedded FerretDB)', () => {
  it('seeds a demo, shares its database with the CLI, and stops everything on SIGTERM', async () => {
    const env = await localEnv('local');
    const service = spawnVestnik(['start'], env);
    const url = await service.ready(60_000);
    expect((await getJson(`${url}/readyz`)).status).toBe(200);

    const localFile = path.join(env.DATA_DIR ?? '', 'local.json');
    expect((await stat(localFile)).mode & 0o777).toBe(0o600);
    const local = JSON.parse(await readFile(localFile, 'utf8'));
    expect(service.stderr()).toContain(local.demo.apiKey);
    expect(local.urls.api).toBe(`${url}/v1`);
    const demo = await getJson(`${url}/v1/workspace`, local.demo.apiKey);
    expect(demo.body.workspace).toMatchObject({ name: 'Demo shop', demo: true });
    // The approved demo template, approved by the sandbox platforms that moderate templates too.
    const template = await getJson(`${url}/v1/templates/${local.demo.template.id}`, local.demo.apiKey);
    expect(template.body).toMatchObject({ name: 'order_shipped', status: 'approved' });
    const platforms = template.body.platformApprovals as Array<{ status: string }>;
    expect(platforms.map((entry) => entry.status)).toEqual(['approved', 'approved', 'approved']);
    const login = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(local.demo.operator),
    });
    expect(login.status).toBe(201);

    // One demo channel of every type, wired to the sandbox started with the service.
    expect(local.sandbox.channels.map((channel: { type: string }) => channel.type).sort()).toEqual([
      'email',
      'ok',
      'ok-notify',
      'sms',
      'telegram',
      'viber',
      'vk',
      'vk-notify',
      'whatsapp',
    ]);
    const listed = await getJson(`${url}/v1/channels`, local.demo.apiKey);
    const states = Object.fromEntries(
      (listed.body.items as Array<{ type: string; connection: { state: string } }>).map((item) => [
        item.type,
        item.connection.state,
      ]),
    );
    expect(states).toMatchObject({
      telegram: 'registered',
      viber: 'registered',
      ok: 'registered',
      vk: 'registered',
      email: 'not-needed',
    });
    await expectInboundOnEveryChannel(local, url);

    // The CLI finds the running instance's embedded database (no MONGODB_URI anywhere).
    const created = await runVestnik(['workspace', 'create', '--name', 'Local Shop', '--json'], env);
    expect(created.code).toBe(0);
    const workspace = JSON.parse(created.stdout) as { workspaceId: string; apiKey: string; admin: object };
    expect(Object.keys(workspace).sort()).toEqual(['admin', 'apiKey', 'workspaceId']);
    expect((await getJson(`${url}/v1/workspace`, workspace.apiKey)).status).toBe(200);

    const wrong = await getJson(`${url}/v1/workspace`, `${workspace.apiKey.slice(0, -2)}xx`);
    expect(wrong.status).toBe(401);
    expect(wrong.type).toContain('application/problem+json');

    const revoked = await runVestnik(['apikey', 'revoke', workspace.apiKey.slice(0, 14)], env);
    expect(revoked.code).toBe(0);
    const after = await getJson(`${url}/v1/workspace`, workspace.apiKey);
    expect(after.body.code).toBe('auth.key_revoked');

    const ferret = JSON.parse(await readFile(path.join(env.DATA_DIR ?? '', 'ferretdb.json'), 'utf8'));
    const stopped = await service.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(15_000);
    expect(isProcessAlive(ferret.ferretPid)).toBe(false);

    // A second start reuses the data and the remembered demo credentials, and is quick.
    const again = spawnVestnik(['start'], env);
    const began = Date.now();
    const url2 = await again.ready(30_000);
    expect(Date.now() - began).toBeLessThan(10_000);
    const local2 = JSON.parse(await readFile(localFile, 'utf8'));
    expect(local2.demo.apiKey).toBe(local.demo.apiKey);
    expect(local2.demo.template).toEqual(local.demo.template);
    expect((await getJson(`${url2}/v1/workspace`, workspace.apiKey)).body.code).toBe('auth.key_revoked');
    // The restarted sandbox has fresh accounts; the same demo channels were pointed at them.
    expect(local2.sandbox.channels.map((channel: { id: string }) => channel.id).sort()).toEqual(
      local.sandbox.channels.map((channel: { id: string }) => channel.id).sort(),
    );
    await expectInboundOnEveryChannel(local2, url2);
    expect((await again.stop('SIGINT')).code).toBe(0);
  });
});
