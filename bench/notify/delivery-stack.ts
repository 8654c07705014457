import type { Sandbox } from '../../src/sandbox/sandbox-server';
import type { CpuPinning } from '../cpu-pinning';
import { startVestnik, type VestnikServer } from '../vestnik-server';
import { type ApiClient, createApiClient } from './api-client';
import type { NotifyOptions } from './notify-options';
import { approvedTemplate, moderatorSession, notifyChannel, smsChannel } from './notify-workspace';

/** `vestnik start` (API and queue workers in one process) wired to the sandbox for (b) and (c). */
export interface DeliveryStack {
  vestnik: VestnikServer;
  api: ApiClient;
  smsChannelId: string;
  /** SMSC account and channel throughput: twice the offered rate, so (b) measures latency, not a limit. */
  smsPerSecond: number;
  notifyChannelId: string;
  notifyPerSecond: number;
  stop(): Promise<string>;
}

export async function startDeliveryStack(
  options: NotifyOptions,
  sandbox: Sandbox,
  pinning: CpuPinning,
  note: (line: string) => void,
): Promise<DeliveryStack> {
  // SANDBOX=off: the sandbox runs in the bench process, on the load generator's CPU.
  const vestnik = await startVestnik({
    logLevel: options.vestnikLogLevel,
    note,
    pinning,
    role: 'start',
    env: { SANDBOX: 'off' },
  });
  try {
    const api = createApiClient(`http://127.0.0.1:${vestnik.port}`, vestnik.apiKey);
    const smsPerSecond = Math.min(1000, options.rate * 2);
    const smsChannelId = await smsChannel(api, sandbox, smsPerSecond);
    const notifyChannelId = await notifyChannel(api, sandbox, options.notifyLimit);
    const moderator = await moderatorSession(api, vestnik.local.operator);
    await approvedTemplate(api, moderator, ['sms', 'vk-notify'], [notifyChannelId]);
    return {
      vestnik,
      api,
      smsChannelId,
      smsPerSecond,
      notifyChannelId,
      notifyPerSecond: options.notifyLimit,
      async stop() {
        const { exit } = await vestnik.stop();
        return `vestnik start ${exit}`;
      },
    };
  } catch (error) {
    await vestnik.stop();
    throw error;
  }
}
