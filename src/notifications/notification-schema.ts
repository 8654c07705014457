import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import { routeSchema } from '../limits/route-step';
import { templateNameSchema } from '../templates/template-schema';

/** E.164: a plus, a non-zero digit, 8–15 digits in all. */
export const e164Schema = z
  .string()
  .regex(/^\+[1-9]\d{7,14}$/, 'phone must be E.164, e.g. +79161234567')
  .meta({ example: '+79161234567' });

export const objectIdSchema = z.string().refine(isValidObjectId, 'must be an id (24 hex characters)');

/** Who to notify: a phone number, a contact, or a chat identity on one channel. */
export const recipientSchema = z
  .union([
    z.object({ phone: e164Schema }).strict(),
    z.object({ contactId: objectIdSchema }).strict(),
    z
      .object({
        channel: z.string().min(1).max(64).meta({ description: 'channel id or type' }),
        externalUserId: z.string().trim().min(1).max(128),
        phone: e164Schema.optional(),
      })
      .strict(),
  ])
  .meta({
    id: 'NotificationRecipient',
    description:
      '`{phone}` in E.164, or `{contactId}`, or `{channel, externalUserId}` (optionally with `phone`).',
  });

const paramValue = z.union([z.string().max(1000), z.number().finite()]).transform(String);

export const templateRefSchema = z
  .object({
    id: objectIdSchema.optional(),
    name: templateNameSchema.optional(),
    params: z
      .record(z.string().regex(/^[A-Za-z0-9_]+$/, 'parameter names are letters, digits and _'), paramValue)
      .refine((params) => Object.keys(params).length <= 50, 'at most 50 parameters')
      .default({}),
  })
  .strict()
  .refine(
    (ref) => (ref.id === undefined) !== (ref.name === undefined),
    'give exactly one of template.id or template.name',
  );

const metadataSchema = z
  .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 20, 'at most 20 metadata keys')
  .meta({
    description: 'Your own keys, returned in the status webhooks (≤ 20 keys, values ≤ 500 characters)',
  });

/** `POST /v1/notifications` body, and one item of a batch. */
export const sendNotificationSchema = z
  .object({
    to: recipientSchema,
    template: templateRefSchema,
    route: routeSchema
      .optional()
      .meta({ description: 'Ordered steps `[{channel, ttl}]`; the workspace default route when absent' }),
    verifyRecipient: z.boolean().default(false),
    metadata: metadataSchema.default({}),
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
  })
  .strict()
  .meta({ id: 'SendNotification' });

export type SendNotification = z.output<typeof sendNotificationSchema>;

export const maxBatchItems = 1000;
