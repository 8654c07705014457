import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';
import { getWorkspaceSettings, updateWorkspaceSettings } from '../workspaces/workspace-settings';

/** The market's usual chain: the VK notification for an hour, then SMS. */
export const demoDefaultRoute = [
  { channel: 'vk-notify', ttlSeconds: 3600 },
  { channel: 'sms', ttlSeconds: 3600 },
];

/** Gives the demo workspace its default route, unless someone already set one (kept across restarts). */
export async function ensureDemoRoute(models: Models, workspaceId: WorkspaceId): Promise<void> {
  const settings = await getWorkspaceSettings(models, workspaceId);
  if (settings.defaultRoute.length > 0) return;
  await updateWorkspaceSettings(models, workspaceId, { defaultRoute: demoDefaultRoute });
}
