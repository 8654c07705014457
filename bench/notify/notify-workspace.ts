import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { allSimulators } from '../../src/sandbox/platforms';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox-server';
import { createUserInput } from '../../src/sandbox/virtual-users';
import type { ApiClient } from './api-client';

/**
 * The platforms and the workspace the notification benchmark sends through: the whole sandbox in
 * the bench process (on the load generator's CPU, with zero platform latency), channels created
 * through Vestnik's API from fresh sandbox accounts, one template approved by the demo operator.
 */

export const benchTemplate = {
  name: 'bench_order_shipped',
  body: 'Заказ №#order# передан в доставку. Трек: #track#',
};
export const benchParams = { order: '1042', track: 'RA123456789RU' };

export function startBenchSandbox(): Promise<Sandbox> {
  return createSandbox({
    host: '127.0.0.1',
    port: 0,
    seed: 'bench-notify',
    logger: pino({ level: 'silent' }),
    platforms: allSimulators,
    callbackTimeoutMs: 10_000,
  });
}

async function account(sandbox: Sandbox, simulator: 'sms' | 'notify' | 'telegram', body: object) {
  const platform = sandbox.platforms.get(simulator);
  if (!platform) throw new Error(`bench: the sandbox has no ${simulator} simulator`);
  return (await platform.createAccount(body)) as Record<string, unknown>;
}

async function createChannel(api: ApiClient, body: Record<string, unknown>): Promise<string> {
  const created = await api.call<{ id: string }>('POST', '/channels', body, 201);
  return created.id;
}

/** An SMPP channel on a fresh SMSC account; the account and the channel allow `perSecond` submits. */
export async function smsChannel(api: ApiClient, sandbox: Sandbox, perSecond: number): Promise<string> {
  const a = await account(sandbox, 'sms', { throughputPerSecond: perSecond });
  return createChannel(api, {
    type: 'sms',
    name: 'Bench SMS',
    config: {
      host: a.host,
      port: a.port,
      systemId: a.systemId,
      password: a.password,
      sourceAddr: 'Vestnik',
      throughputPerSecond: perSecond,
    },
  });
}

/** A notification-gateway channel (vk-notify) whose account holds the bench template, approved. */
export async function notifyChannel(api: ApiClient, sandbox: Sandbox, perSecond: number): Promise<string> {
  const a = await account(sandbox, 'notify', {
    name: 'Bench shop',
    rateLimitPerSecond: perSecond,
    templates: [{ name: benchTemplate.name, text: benchTemplate.body }],
  });
  return createChannel(api, {
    type: 'vk-notify',
    name: 'Bench VK notifications',
    config: { apiKey: a.apiKey, callbackSecret: a.callbackSecret, apiBaseUrl: a.apiBaseUrl },
    limits: { perSecond },
  });
}

/**
 * Creates, submits and approves the bench template for `channelTypes`, then waits until every
 * platform channel in `platformChannels` has the platform's approval (Vestnik submits on approval;
 * the gateway already holds the name approved, which Vestnik adopts).
 */
export async function approvedTemplate(
  api: ApiClient,
  moderator: ApiClient,
  channelTypes: string[],
  platformChannels: string[],
): Promise<string> {
  const created = await api.call<{ id: string }>(
    'POST',
    '/templates',
    { ...benchTemplate, category: 'transactional', channels: channelTypes },
    201,
  );
  await api.call('POST', `/templates/${created.id}/submit`, {});
  await moderator.call('POST', `/templates/${created.id}/approve`, {});
  const deadline = Date.now() + 60_000;
  for (;;) {
    const view = await api.call<{ platformApprovals: Array<{ channelId: string; status: string }> }>(
      'GET',
      `/templates/${created.id}`,
    );
    const approved = new Set(
      view.platformApprovals.filter((a) => a.status === 'approved').map((a) => a.channelId),
    );
    if (platformChannels.every((id) => approved.has(id))) return created.id;
    if (Date.now() > deadline) {
      throw new Error(`bench: no platform approval after 60 s: ${JSON.stringify(view.platformApprovals)}`);
    }
    await sleep(250);
  }
}

/** The demo operator's session: an admin, so it may moderate templates. */
export async function moderatorSession(
  api: ApiClient,
  operator: { email: string; password: string },
): Promise<ApiClient> {
  const session = await api.call<{ token: string }>('POST', '/auth/login', operator, 201);
  return api.as(session.token);
}

/** `count` phone numbers `+7<area>NNNNNNN`, each a sandbox user active now with VK and OK accounts. */
export function phoneUsers(sandbox: Sandbox, area: string, count: number): string[] {
  const phones: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const phone = `+7${area}${String(i).padStart(7, '0')}`;
    sandbox.context.users.create(
      createUserInput.parse({
        phone,
        name: 'Bench',
        accounts: { vk: true, ok: true },
        lastSeenMinutesAgo: 0,
      }),
    );
    phones.push(phone);
  }
  return phones;
}
