import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** OK's production API host; the sandbox replaces it with `<sandbox>/ok`. */
export const okDefaultApiBaseUrl = 'https://api.ok.ru';

const cidr = z
  .string()
  .trim()
  .refine((value) => {
    try {
      ipaddr.parseCIDR(value);
      return true;
    } catch {
      return false;
    }
  }, 'must be a CIDR range such as 217.20.145.192/28');

/**
 * An OK channel's stored configuration.
 * - `accessToken`: the group's Bot API key (group settings → Messages → "Work with API"); secret.
 * - `apiBaseUrl`: API host override (the sandbox); defaults to `https://api.ok.ru`.
 * - `allowedSourceIps`: CIDR ranges webhooks may come from. Empty: not enforced. OK publishes its
 *   webhook source ranges on the graph.user.subscribe page
 *   (https://apiok.ru/en/dev/graph_api/methods/graph.user/graph.user.subscribe/post).
 */
export type OkConfig = {
  accessToken: string;
  apiBaseUrl: string;
  allowedSourceIps: string[];
};

export const okConfigSchema = z
  .object({
    accessToken: z.string().trim().min(1, 'the group access token is required'),
    apiBaseUrl: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .default(okDefaultApiBaseUrl),
    allowedSourceIps: z.array(cidr).max(100).default([]),
  })
  .strict();

/** Fields encrypted at rest and never returned whole by the API. */
export const okSecretFields = ['accessToken'] as const;

/**
 * The ranges OK lists as webhook sources (graph.user.subscribe docs). Not the default — a wrong list
 * would silently drop every message — but offered to operators who want to enforce it.
 */
export const okPublishedWebhookRanges = [
  '217.20.145.192/28',
  '217.20.151.160/28',
  '217.20.153.48/28',
] as const;
