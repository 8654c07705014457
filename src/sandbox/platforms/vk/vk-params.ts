import type { SandboxContext } from '../../sandbox-platform';
import type { VkCallbacks } from './vk-callbacks';
import type { Community, CommunityStore } from './vk-communities';
import { VkApiError } from './vk-errors';

/** One authenticated API call: the community behind the token and the call's parameters. */
export interface MethodCall {
  community: Community;
  params: Readonly<Record<string, string>>;
}

/** What method handlers work with. */
export interface VkMethodDeps {
  context: SandboxContext;
  communities: CommunityStore;
  callbacks: VkCallbacks;
}

export type MethodHandler = (call: MethodCall) => unknown;

/** An integer parameter; VK answers 100 when a required one is missing or not a number. */
export function intParam(params: MethodCall['params'], name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d{1,18}$/.test(raw)) throw new VkApiError(100, `${name} not integer`);
  return Number(raw);
}

export function requiredInt(params: MethodCall['params'], name: string): number {
  const value = intParam(params, name);
  if (value === undefined) throw new VkApiError(100, `${name} is undefined`);
  return value;
}

/** A comma-separated list of integers (VK's array parameters). */
export function intList(params: MethodCall['params'], name: string): number[] {
  const raw = params[name];
  if (!raw) return [];
  return raw.split(',').map((item) => {
    if (!/^\d{1,18}$/.test(item.trim())) throw new VkApiError(100, `${name} is invalid`);
    return Number(item.trim());
  });
}

/** VK's boolean flags: `1` / `true`. */
export const flag = (params: MethodCall['params'], name: string): boolean =>
  params[name] === '1' || params[name] === 'true';

/** Methods that need the token's `manage` scope answer 15 without it. */
export function requireManage(call: MethodCall): void {
  if (!call.community.manageScope) throw new VkApiError(15, 'no access to call this method');
}

/** `group_id`, when given, must be the token's own community. */
export function ownGroup(call: MethodCall): void {
  const groupId = intParam(call.params, 'group_id');
  if (groupId !== undefined && groupId !== call.community.groupId)
    throw new VkApiError(15, 'no access to this community');
}
