import { z } from 'zod';

/** Graph API ids are decimal strings (phone number id, WhatsApp Business Account id, media id). */
const graphId = z.string().regex(/^\d{1,25}$/, 'a numeric Graph API id');

/**
 * One WhatsApp Business phone number on the Cloud API.
 * - `phoneNumberId`, `wabaId`: from WhatsApp Manager / the App Dashboard (API Setup).
 * - `accessToken`: a system-user token with `whatsapp_business_messaging` and
 *   `whatsapp_business_management`.
 * - `appSecret`: the Meta app's secret; Meta signs every webhook with it (`X-Hub-Signature-256`).
 * - `verifyToken`: what Meta echoes in the callback-verification GET; defaults to the channel's
 *   webhook key.
 * - `templateLanguage`: language code used for templates when the content names none.
 */
export const whatsappConfigSchema = z
  .object({
    phoneNumberId: graphId,
    wabaId: graphId,
    accessToken: z.string().min(1).max(2048),
    appSecret: z.string().min(1).max(256),
    verifyToken: z.string().min(8).max(256).optional(),
    apiBaseUrl: z
      .url()
      .default('https://graph.facebook.com')
      .transform((url) => url.replace(/\/+$/, '')),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, 'a Graph API version such as v23.0')
      .default('v23.0'),
    templateLanguage: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a WhatsApp language code such as en_US or ru')
      .default('en_US'),
  })
  .strict();

/** Parsed WhatsApp channel config (a plain object type, so the definition fits the registry). */
export type WhatsappConfig = z.output<typeof whatsappConfigSchema>;

/** Config fields encrypted at rest and never returned whole by the API. */
export const whatsappSecretFields = ['accessToken', 'appSecret', 'verifyToken'] as const;
