import { parseControlInput, type SandboxPlatformFactory } from '../../sandbox-platform';
import { VkCallbacks } from './vk-callbacks';
import { type Community, CommunityStore, type VkAccountInput, vkAccountInput } from './vk-communities';
import { sendVkError, VkApiError } from './vk-errors';
import { callbackEventTypes } from './vk-group-methods';
import type { VkMethodDeps } from './vk-params';
import { createVkRouter } from './vk-routes';
import { VkUserActions } from './vk-user-actions';

/**
 * The VK API for communities (`/vk/method/<name>`, as api.vk.com/method) and the Callback API.
 * Virtual users write, press keyboard buttons and read; their received messages are listed under
 * platform `vk` with `via: 'chat'`.
 */
export const vkSimulator: SandboxPlatformFactory = (context) => {
  const communities = new CommunityStore(context.random);
  const callbacks = new VkCallbacks(context);
  const deps: VkMethodDeps = { context, communities, callbacks };
  const users = new VkUserActions(deps);
  const apiBaseUrl = (): string => `${context.baseUrl()}/vk/method`;

  /** What an admin does in the community UI: add a Callback API server with every message event. */
  async function configureServer(community: Community, input: VkAccountInput): Promise<void> {
    if (!input.callbackUrl) return;
    const server =
      community.servers.find((item) => item.url === input.callbackUrl) ??
      communities.addServer(community, input.callbackUrl, 'Sandbox', input.secretKey ?? '');
    if (input.secretKey !== undefined) server.secretKey = input.secretKey;
    for (const type of callbackEventTypes) if (type !== 'message_reply') server.events.add(type);
    await callbacks.confirm(community, server);
  }

  return {
    name: 'vk',
    mountPath: '/vk',
    router: createVkRouter(deps),
    rateLimitAnswer: (res) => sendVkError(res, new VkApiError(6), 'messages.send', {}),
    createAccount: async (body) => {
      const input = parseControlInput(vkAccountInput, body);
      const { community } = communities.upsert(input);
      await configureServer(community, input);
      return {
        groupId: community.groupId,
        name: community.name,
        accessToken: community.accessToken,
        confirmationCode: community.confirmationCode,
        apiBaseUrl: apiBaseUrl(),
        callbackServers: community.servers.map(({ id, url, status }) => ({ id, url, status })),
      };
    },
    userMessage: (user, input) => users.message(user, input),
    pressButton: (user, input) => users.pressButton(user, input),
    read: (user, input) => users.read(user, input),
    setBlocked: (user, blocked, to) => users.setBlocked(user, blocked, to),
    info: () => ({ apiBaseUrl: apiBaseUrl(), communities: communities.all().length }),
  };
};
