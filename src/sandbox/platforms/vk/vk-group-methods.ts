import { VkApiError } from './vk-errors';
import {
  type MethodCall,
  type MethodHandler,
  ownGroup,
  requiredInt,
  requireManage,
  type VkMethodDeps,
} from './vk-params';

/** VK lets a community have up to 10 Callback API servers. */
const maxServers = 10;

function serverOf(call: MethodCall) {
  const id = requiredInt(call.params, 'server_id');
  const server = call.community.servers.find((item) => item.id === id);
  if (!server) throw new VkApiError(100, 'server_id is invalid');
  return server;
}

function validUrl(call: MethodCall): string {
  const url = call.params.url ?? '';
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new VkApiError(100, 'url is invalid');
  return url;
}

function validTitle(call: MethodCall): string {
  const title = call.params.title ?? '';
  if (title.length === 0 || title.length > 14) throw new VkApiError(100, 'title is invalid');
  return title;
}

function validSecret(call: MethodCall): string {
  const secret = call.params.secret_key ?? '';
  if (secret.length > 50) throw new VkApiError(100, 'secret_key is too long');
  return secret;
}

/** groups.* methods: community info and the Callback API server settings. */
export function groupMethods({ communities, callbacks }: VkMethodDeps): Record<string, MethodHandler> {
  const managed =
    (handler: MethodHandler): MethodHandler =>
    (call) => {
      ownGroup(call);
      requireManage(call);
      return handler(call);
    };
  return {
    'groups.getById': ({ community }) => ({
      groups: [
        {
          id: community.groupId,
          name: community.name,
          screen_name: `club${community.groupId}`,
          is_closed: 0,
          type: 'group',
        },
      ],
      profiles: [],
    }),
    'groups.getCallbackConfirmationCode': managed(({ community }) => ({ code: community.confirmationCode })),
    'groups.getCallbackServers': managed(({ community }) => ({
      count: community.servers.length,
      items: community.servers.map((server) => ({
        id: server.id,
        title: server.title,
        creator_id: 0,
        url: server.url,
        secret_key: server.secretKey,
        status: server.status,
      })),
    })),
    'groups.addCallbackServer': managed(async (call) => {
      if (call.community.servers.length >= maxServers) throw new VkApiError(2000);
      const server = communities.addServer(
        call.community,
        validUrl(call),
        validTitle(call),
        validSecret(call),
      );
      await callbacks.confirm(call.community, server);
      return { server_id: server.id };
    }),
    'groups.editCallbackServer': managed(async (call) => {
      const server = serverOf(call);
      server.url = validUrl(call);
      server.title = validTitle(call);
      server.secretKey = validSecret(call);
      await callbacks.confirm(call.community, server);
      return 1;
    }),
    'groups.deleteCallbackServer': managed((call) => {
      const server = serverOf(call);
      call.community.servers = call.community.servers.filter((item) => item !== server);
      return 1;
    }),
    'groups.setCallbackSettings': managed((call) => {
      const server = serverOf(call);
      if (call.params.api_version) server.apiVersion = call.params.api_version;
      for (const [name, value] of Object.entries(call.params)) {
        if (!callbackEventTypes.has(name)) continue;
        if (value === '1' || value === 'true') server.events.add(name);
        else server.events.delete(name);
      }
      return 1;
    }),
  };
}

/** Event flags groups.setCallbackSettings takes that the simulator can emit. */
export const callbackEventTypes: ReadonlySet<string> = new Set([
  'message_new',
  'message_reply',
  'message_allow',
  'message_deny',
  'message_read',
  'message_event',
]);
