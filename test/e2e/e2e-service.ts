import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createLogger } from '../../src/logging/logger';
import { connectRedis } from '../../src/queue/redis-connection';
import { deleteKeys, uniqueName } from '../helpers/test-stack';
import { spawnVestnik, type VestnikProcess } from '../helpers/vestnik-process';
import { type Browser, launchBrowser } from './browser';

export const root = path.resolve(__dirname, '../..');
export const artifacts = path.join(root, 'test', 'artifacts');
export const wait = { timeout: 30_000 };

/** What `vestnik start` writes to DATA_DIR/local.json for the demo workspace. */
export interface LocalFile {
  urls: { api: string };
  sandbox: {
    control: string;
    channels: Array<{ id: string; type: string; name: string }>;
    users: Array<{ id: string; name: string; phone: string }>;
  };
  demo: { apiKey: string; operator: { email: string; password: string } };
}

/** A message a sandbox user received (`GET /_sandbox/users/:id/received`). */
export interface Received {
  platform: string;
  messageId: string;
  text: string;
  buttons: Array<{ label: string; kind: string; payload?: string; url?: string }>;
  status: string;
}

/** A real `vestnik start` (embedded FerretDB, API, workers, sandbox, demo) and a headless chromium. */
export interface E2eService {
  local: LocalFile;
  /** The service's origin (the UI is served at `${base}/`). */
  base: string;
  browser: Browser;
  /** Script errors and CSP violations seen by pages opened with `newPage`. */
  pageErrors: string[];
  newPage(): Promise<Page>;
  stop(): Promise<void>;
}

/** How a suite wants the service started. */
export interface E2eServiceOptions {
  /**
   * Keep the demo's bot out (default false): an empty demo flows folder in the data dir before
   * start, as a start seeds the shipped flows only into a demo folder that does not exist yet.
   */
  withoutDemoBot?: boolean;
}

/** Builds the UI with Vite (the global setup compiled dist/), starts the service and the browser. */
export async function startE2eService(options: E2eServiceOptions = {}): Promise<E2eService> {
  await mkdir(artifacts, { recursive: true });
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'inbox/web/vite.config.mjs',
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-e2e-'));
  if (options.withoutDemoBot) await mkdir(path.join(dataDir, 'bot-flows', 'demo'), { recursive: true });
  const prefix = uniqueName('e2e').replaceAll('_', '-');
  const service = spawnVestnik(['start'], {
    DATA_DIR: dataDir,
    FERRETDB_BIN: process.env.VESTNIK_TEST_FERRETDB_BIN ?? '',
    QUEUE_PREFIX: prefix,
    PORT: '0',
    SANDBOX_PORT: '0',
    SANDBOX_SMPP_PORT: '0',
    SANDBOX_SMTP_PORT: '0',
  });
  const stopAll = (browser?: Browser) => stopService(service, browser, prefix, dataDir);
  try {
    await service.ready(120_000);
    const local = JSON.parse(await readFile(path.join(dataDir, 'local.json'), 'utf8')) as LocalFile;
    const browser = await launchBrowser();
    const pageErrors: string[] = [];
    return {
      local,
      base: local.urls.api.replace(/\/v1$/, ''),
      browser,
      pageErrors,
      async newPage() {
        const page = await browser.context.newPage();
        watch(page, pageErrors);
        return page;
      },
      stop: () => stopAll(browser),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function stopService(
  service: VestnikProcess,
  browser: Browser | undefined,
  prefix: string,
  dataDir: string,
): Promise<void> {
  await browser?.close();
  if (service.child.exitCode === null) await service.stop('SIGTERM');
  const redis = await connectRedis('redis://127.0.0.1:6379', createLogger({ level: 'silent' }));
  await deleteKeys(redis, `${prefix}*`);
  await redis.quit();
  await rm(dataDir, { recursive: true, force: true });
}

function watch(page: Page, pageErrors: string[]): void {
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // CSP violations and script errors surface as console errors.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      pageErrors.push(`console: ${message.text()}`);
  });
}

/** A JSON call (Bearer `token` when given); the body parsed, whatever the status. */
export async function json<T>(
  url: string,
  init: RequestInit & { token?: string } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
