import { z } from 'zod';

/** Where vk-io sends API calls unless the channel overrides it (sandbox, egress proxy). */
export const defaultVkApiBaseUrl = 'https://api.vk.com/method';

/**
 * A VK community channel: the community id, a community access token (scope `messages`, plus
 * `manage` when Vestnik should register the Callback API server itself), and the Callback API
 * server's secret key and confirmation string from the community's "API usage" settings.
 */
export const vkConfigSchema = z
  .object({
    groupId: z.number().int().positive(),
    accessToken: z.string().min(1).max(512),
    /** Callback API "secret key": VK puts it in every event body (`secret`). At most 50 characters. */
    secretKey: z.string().min(1).max(50),
    /** The string VK expects back from the `confirmation` request (groups.getCallbackConfirmationCode). */
    confirmationCode: z.string().min(1).max(64),
    /** API base URL override (sandbox, proxy). */
    apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

/** A VK channel's stored config (a plain object type, so the definition fits the registry). */
export interface VkConfig extends Record<string, unknown> {
  groupId: number;
  accessToken: string;
  secretKey: string;
  confirmationCode: string;
  apiBaseUrl?: string | undefined;
}

/** Config fields encrypted at rest and never returned whole by the API. */
export const vkSecretFields = ['accessToken', 'secretKey'] as const;
