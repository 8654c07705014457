import type { AdapterDefinition } from '../contract';
import { vkCapabilities } from './capabilities';
import { type VkConfig, vkConfigSchema, vkSecretFields } from './config-schema';
import { VkAdapter } from './vk-adapter';

/**
 * VK community messages: sends through vk-io (messages.send with an inline keyboard and a
 * `random_id` derived from our message id), receives the Callback API (`message_new`,
 * `message_event`, `message_read`, `message_allow`, `message_deny`).
 */
export const vkAdapter: AdapterDefinition<VkConfig> = {
  kind: 'vk',
  title: 'VK (community messages)',
  configSchema: vkConfigSchema,
  secretFields: vkSecretFields,
  connectHint:
    'Create a community access token (scopes: messages, manage) in Manage → API usage, copy the Callback API confirmation string, choose a secret key; Vestnik registers its Callback API server itself.',
  capabilities: () => vkCapabilities,
  exampleConfig: {
    groupId: 229876543,
    accessToken: 'vk1.a.community-token',
    secretKey: 'callback-secret',
    confirmationCode: 'a1b2c3d4',
  },
  create: (config, context) => new VkAdapter(config, context),
};
