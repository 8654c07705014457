import { z } from 'zod';
import {
  e164Schema,
  maxBatchItems,
  objectIdSchema,
  sendNotificationSchema,
} from '../../notifications/notification-schema';
import type { NotificationService } from '../../notifications/notification-service';
import { notificationStatuses } from '../../notifications/notification-status';
import { notificationViewSchema } from '../../notifications/notification-view';
import { type AnyRoute, defineRoute } from '../route-definition';

const accepted = z
  .object({ id: z.string(), status: z.literal('accepted') })
  .meta({ id: 'NotificationAccepted' });

const batchResult = z
  .object({
    accepted: z.number().int(),
    rejected: z.number().int(),
    items: z.array(
      z.union([
        z.object({ index: z.number().int(), id: z.string(), status: z.literal('accepted') }),
        z.object({
          index: z.number().int(),
          error: z.object({
            code: z.string(),
            status: z.number().int(),
            detail: z.string(),
            errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
          }),
        }),
      ]),
    ),
  })
  .meta({ id: 'NotificationBatchResult' });

const listQuery = z.object({
  status: z.enum(notificationStatuses).optional(),
  channel: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'A channel id or type the notification was tried on' }),
  phone: e164Schema.optional(),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created at or after (ISO 8601)' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created before (ISO 8601)' }),
  cursor: objectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const notificationErrors = [
  'notification.template_unavailable',
  'notification.params_missing',
  'notification.route_invalid',
  'notification.recipient_invalid',
  'webhook_endpoint.url_refused',
  'idempotency.key_reused',
  'idempotency.in_flight',
] as const;

export function notificationRoutes(deps: { notifications: NotificationService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/notifications',
      summary: 'Send a notification (stored before the answer; delivered in the background)',
      tag: 'notifications',
      access: ['notifications:send'],
      idempotent: true,
      body: sendNotificationSchema,
      response: {
        status: 202,
        schema: accepted,
        description: 'Accepted; follow it with GET or the status webhooks',
      },
      errors: notificationErrors,
      handle: ({ principal, body }) => deps.notifications.accept(principal.workspaceId, body),
    }),
    defineRoute({
      method: 'post',
      path: '/notifications/batch',
      summary: `Send up to ${maxBatchItems} notifications; each item is accepted or refused on its own`,
      tag: 'notifications',
      access: ['notifications:send'],
      idempotent: true,
      body: z.object({
        items: z
          .array(z.unknown().meta({ description: 'A SendNotification body' }))
          .min(1)
          .max(maxBatchItems, `at most ${maxBatchItems} items per batch`),
      }),
      response: { status: 202, schema: batchResult, description: 'Per-item results, in request order' },
      errors: ['idempotency.key_reused', 'idempotency.in_flight'],
      async handle({ principal, body }) {
        const items = await deps.notifications.acceptBatch(principal.workspaceId, body.items);
        const rejected = items.filter((item) => 'error' in item).length;
        return { accepted: items.length - rejected, rejected, items };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/notifications/:id',
      summary: 'A notification with its route and the timeline of every attempt',
      tag: 'notifications',
      access: ['notifications:read'],
      params: z.object({ id: z.string() }),
      response: { status: 200, schema: notificationViewSchema, description: 'The notification' },
      errors: ['resource.not_found'],
      handle: ({ principal, params }) => deps.notifications.get(principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/notifications',
      summary: 'Notifications, newest first, filtered by status, channel, phone and time',
      tag: 'notifications',
      access: ['notifications:read'],
      query: listQuery,
      response: {
        status: 200,
        schema: z.object({ items: z.array(notificationViewSchema), nextCursor: z.string().nullable() }),
        description: 'One page; pass nextCursor as cursor for the next',
      },
      handle: ({ principal, query }) =>
        deps.notifications.list(principal.workspaceId, {
          ...query,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        }),
    }),
  ];
}
