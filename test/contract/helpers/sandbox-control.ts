import pino from 'pino';
import { allSimulators } from '../../../src/sandbox/platforms';
import { createSandbox, type Sandbox } from '../../../src/sandbox/sandbox-server';
import type { ReceivedMessage } from '../../../src/sandbox/virtual-users';

export interface SandboxUser {
  id: string;
  phone: string;
  name: string;
  email: string | null;
  accounts: Record<string, { id: string; reachable: boolean; blocked: boolean }>;
}

export interface LoggedRequestJson {
  platform: string;
  method: string;
  path: string;
  contentType: string | null;
  body: unknown;
}

/** The sandbox control API over real HTTP, as tests, benchmarks and the demo use it. */
export class SandboxControl {
  constructor(readonly url: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createAccount<T = Record<string, unknown>>(
    platform: string,
    body: Record<string, unknown> = {},
  ): Promise<T> {
    return this.call<T>('POST', '/accounts', { platform, ...body });
  }

  createUser(body: Record<string, unknown>): Promise<SandboxUser> {
    return this.call<SandboxUser>('POST', '/users', body);
  }

  async received(userId: string, platform?: string): Promise<ReceivedMessage[]> {
    const query = platform ? `?platform=${platform}` : '';
    return (await this.call<{ received: ReceivedMessage[] }>('GET', `/users/${userId}/received${query}`))
      .received;
  }

  userMessage(userId: string, body: Record<string, unknown>): Promise<{ messageId: string }> {
    return this.call('POST', `/users/${userId}/messages`, body);
  }

  pressButton(userId: string, body: Record<string, unknown>): Promise<void> {
    return this.call('POST', `/users/${userId}/buttons`, body);
  }

  read(userId: string, body: Record<string, unknown>): Promise<void> {
    return this.call('POST', `/users/${userId}/read`, body);
  }

  /** The user blocks the business on `platform` (422 where the platform sends no webhook for it). */
  block(userId: string, platform: string, to?: string): Promise<void> {
    return this.call('POST', `/users/${userId}/block`, { platform, ...(to === undefined ? {} : { to }) });
  }

  unblock(userId: string, platform: string, to?: string): Promise<void> {
    return this.call('POST', `/users/${userId}/unblock`, { platform, ...(to === undefined ? {} : { to }) });
  }

  /** Sets when the user last opened the app (`0`: online now). */
  seen(userId: string, minutesAgo: number): Promise<SandboxUser & { lastSeenAt: string }> {
    return this.call('POST', `/users/${userId}/seen`, { minutesAgo });
  }

  addFault(body: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', '/faults', body);
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', '/faults');
  }

  async requests(platform: string): Promise<LoggedRequestJson[]> {
    return (await this.call<{ requests: LoggedRequestJson[] }>('GET', `/requests?platform=${platform}`))
      .requests;
  }

  advanceClock(advanceMs: number): Promise<unknown> {
    return this.call('POST', '/clock', { advanceMs });
  }
}

export interface TestSandbox {
  sandbox: Sandbox;
  control: SandboxControl;
  close(): Promise<void>;
}

/** Starts the whole sandbox on free ports with a fixed seed. */
export async function startTestSandbox(seed = 'contract-tests'): Promise<TestSandbox> {
  const sandbox = await createSandbox({
    host: '127.0.0.1',
    port: 0,
    seed,
    logger: pino({ level: 'silent' }),
    platforms: allSimulators,
    callbackTimeoutMs: 5_000,
  });
  return { sandbox, control: new SandboxControl(sandbox.url), close: () => sandbox.close() };
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
