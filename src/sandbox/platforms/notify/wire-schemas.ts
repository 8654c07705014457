import { z } from 'zod';

/**
 * Request bodies of the notification gateway API, exactly as `adapters/vk-notify/README.md`
 * documents them. Unknown fields are refused (400 `invalid_request`), so a client typo never goes
 * unnoticed.
 */

/** E.164: a plus, a non-zero digit, 8–15 digits in all. */
export const e164 = /^\+[1-9]\d{7,14}$/;

/** Template names: lower-case latin letters, digits and underscores. */
export const templateName = z
  .string()
  .regex(/^[a-z0-9_]{1,64}$/, 'name must be 1-64 characters of a-z, 0-9 and _');

export const notifyRoutes = ['vk', 'ok'] as const;
export type NotifyRoute = (typeof notifyRoutes)[number];

/** Delivery policies (Devino `delivery_policy`: any, mobile_device_required, verified_phone_number). */
export const deliveryPolicies = ['any', 'app_active', 'verified_phone'] as const;
export type DeliveryPolicy = (typeof deliveryPolicies)[number];

/** Time to live bounds in seconds (Devino `validity`: 15 to 86400). */
export const ttlBounds = { min: 15, max: 86_400 } as const;

const httpUrl = z.url({ protocol: /^https?$/ });

export const notifyRequest = z
  .object({
    phone: z.string().regex(e164, 'phone must be E.164, e.g. +79161234567'),
    route: z.enum(notifyRoutes),
    template: templateName,
    params: z.record(z.string().max(64), z.string().max(2048)).default({}),
    policy: z.enum(deliveryPolicies).default('any'),
    ttl: z.number().int().min(ttlBounds.min).max(ttlBounds.max).default(ttlBounds.max),
    callback_url: httpUrl.optional(),
    /** The client's own id; a repeated request with the same id is answered without a second send. */
    message_id: z.string().min(1).max(128).optional(),
  })
  .strict();
export type NotifyRequest = z.output<typeof notifyRequest>;

export const templateButton = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('text'),
      label: z.string().min(1).max(40),
      payload: z.string().max(255).optional(),
    })
    .strict(),
  z.object({ type: z.literal('link'), label: z.string().min(1).max(40), url: httpUrl }).strict(),
]);
export type TemplateButton = z.output<typeof templateButton>;

/** Most buttons a template may carry (design.md: up to 6 text or link buttons per template). */
export const maxTemplateButtons = 6;

export const templateRequest = z
  .object({
    name: templateName,
    /** `#param#` placeholders; moderation rejects texts over 2048 characters or 2 KB. */
    text: z.string().min(1).max(10_000),
    buttons: z.array(templateButton).max(maxTemplateButtons).default([]),
  })
  .strict();
export type TemplateRequest = z.output<typeof templateRequest>;

/** Control API: `POST /_sandbox/accounts {platform: 'notify', ...}`. */
export const notifyAccountInput = z
  .object({
    /** The business name users see as the sender (the approved VK / OK group). */
    name: z.string().min(1).max(100).default('Vestnik Demo'),
    /** Templates created already approved, for tests and the demo (moderation rules still apply). */
    templates: z.array(templateRequest).max(100).default([]),
    /** Notifications per second per API key (VK: 50 per second per group). */
    rateLimitPerSecond: z.number().int().min(1).max(1000).default(50),
  })
  .strict();
