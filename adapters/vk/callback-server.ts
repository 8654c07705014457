import type { ConnectResult, SendFailure } from '../contract';
import type { VkConfig } from './config-schema';
import { type VkApiClient, vkApiVersion } from './vk-api-client';

/** Callback API events Vestnik subscribes to (groups.setCallbackSettings flags). */
export const subscribedEvents = [
  'message_new',
  'message_event',
  'message_read',
  'message_allow',
  'message_deny',
];

/** Server title in the community settings (VK allows 14 characters). */
const serverTitle = 'Vestnik';

interface CallbackServer {
  id: number;
  url: string;
  status: 'unconfigured' | 'failed' | 'wait' | 'ok';
}

/** What the admin does by hand when the token may not manage the community (no `manage` scope). */
export function manualInstructions(url: string, reason: string): string {
  return [
    `Vestnik could not register the Callback API server itself (${reason}).`,
    'In the VK community open Manage → API usage → Callback API and add a server:',
    `address ${url}, secret key = the channel's secret key, API version ${vkApiVersion}.`,
    `Press "Confirm" (Vestnik answers the confirmation string), then under "Event types" enable ${subscribedEvents.join(', ')}.`,
  ].join(' ');
}

async function findServer(api: VkApiClient, config: VkConfig, url: string) {
  const listed = await api.call<{ items: CallbackServer[] }>('groups.getCallbackServers', {
    group_id: config.groupId,
  });
  if (!listed.ok) return listed;
  return { ok: true as const, server: listed.response.items.find((item) => item.url === url) ?? null };
}

/**
 * Registers the Callback API server by API (groups.addCallbackServer / editCallbackServer, then
 * setCallbackSettings — all allowed with a community token per vk_methods.json, given the `manage`
 * scope). VK confirms the server by sending `confirmation`, which this adapter answers; a server
 * whose status is not `ok` afterwards is reported as failed. Without the scope, the admin gets
 * manual instructions.
 */
export async function registerCallbackServer(
  api: VkApiClient,
  config: VkConfig,
  url: string,
): Promise<ConnectResult> {
  const found = await findServer(api, config, url);
  if (!found.ok) return fallback(url, found.failure);
  const base = { group_id: config.groupId, url, title: serverTitle, secret_key: config.secretKey };
  const saved = found.server
    ? await api.call<number>('groups.editCallbackServer', { ...base, server_id: found.server.id })
    : await api.call<{ server_id: number }>('groups.addCallbackServer', base);
  if (!saved.ok) return fallback(url, saved.failure);
  const serverId = found.server?.id ?? (saved.response as { server_id: number }).server_id;
  const flags = Object.fromEntries(subscribedEvents.map((event) => [event, 1]));
  const settings = await api.call<number>('groups.setCallbackSettings', {
    group_id: config.groupId,
    server_id: serverId,
    api_version: vkApiVersion,
    ...flags,
  });
  if (!settings.ok) return fallback(url, settings.failure);
  const check = await findServer(api, config, url);
  if (!check.ok) return fallback(url, check.failure);
  if (check.server?.status !== 'ok')
    return {
      webhook: 'failed',
      detail: `VK did not confirm the server (status ${check.server?.status ?? 'missing'})`,
    };
  return { webhook: 'registered' };
}

function fallback(url: string, failure: SendFailure): ConnectResult {
  if (failure.kind === 'permanent')
    return { webhook: 'manual', instructions: manualInstructions(url, `VK error ${failure.code}`) };
  return { webhook: 'failed', detail: `VK API unavailable (${failure.kind}); try connecting again` };
}

/** Removes Vestnik's Callback API server, where the token may. Failures are left to the admin. */
export async function removeCallbackServer(api: VkApiClient, config: VkConfig, url: string): Promise<void> {
  const found = await findServer(api, config, url);
  if (!found.ok || !found.server) return;
  await api.call<number>('groups.deleteCallbackServer', {
    group_id: config.groupId,
    server_id: found.server.id,
  });
}
