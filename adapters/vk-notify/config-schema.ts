import { z } from 'zod';

/** Delivery policies the gateway knows (see README, "Delivery policies"). */
export const deliveryPolicies = ['any', 'app_active', 'verified_phone'] as const;
export type DeliveryPolicy = (typeof deliveryPolicies)[number];

/** TTL bounds in seconds: 15 s to 24 h (Devino VK/OK `validity`, design.md). */
export const ttlBounds = { min: 15, max: 86_400 } as const;

/** Config of a `vk-notify` / `ok-notify` channel. `apiKey` and `callbackSecret` are secrets. */
export const notifyConfigSchema = z
  .object({
    /** The reseller account's API key, sent as `Authorization: Bearer <apiKey>`. */
    apiKey: z.string().min(1).max(512),
    /** Key of the HMAC-SHA256 signature on status callbacks (`X-Signature`). */
    callbackSecret: z.string().min(16).max(512),
    /** The gateway's base URL, e.g. `https://gateway.example/notify` (the sandbox: `<sandbox>/notify`). */
    apiBaseUrl: z.url({ protocol: /^https?$/ }),
    /** Policy for every send from this channel. */
    defaultPolicy: z.enum(deliveryPolicies).default('any'),
    /** TTL when the caller gives none; one hour, as in the usual VK/OK → SMS chain. */
    defaultTtlSeconds: z.number().int().min(ttlBounds.min).max(ttlBounds.max).default(3600),
  })
  .strict();

export type NotifyConfig = z.output<typeof notifyConfigSchema>;

/** Config fields encrypted at rest and never returned whole. */
export const notifySecretFields = ['apiKey', 'callbackSecret'] as const;
