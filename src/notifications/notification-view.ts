import { z } from 'zod';
import type { StoredAttempt, StoredNotification } from './notification-context';
import { attemptStatuses, notificationStatuses } from './notification-status';

const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);

const attemptViewSchema = z.object({
  step: z.number().int(),
  channel: z.object({ id: z.string(), type: z.string() }),
  status: z.enum(attemptStatuses),
  externalMessageId: z.string().nullable(),
  reason: z.string().nullable().meta({ description: 'Why it failed or was skipped' }),
  detail: z.string().nullable(),
  ttlSeconds: z.number().int(),
  expiresAt: z.string(),
  withdrawn: z.boolean().nullable().meta({ description: 'Whether the expired chat message was deleted' }),
  text: z.string().nullable().meta({ description: 'The text sent on this step' }),
  timeline: z.array(
    z.object({ status: z.enum(attemptStatuses), at: z.string(), reason: z.string().nullable() }),
  ),
});

export const notificationViewSchema = z
  .object({
    id: z.string(),
    status: z.enum(notificationStatuses),
    to: z.object({
      phone: z.string().nullable(),
      contactId: z.string().nullable(),
      channelId: z.string().nullable(),
      externalUserId: z.string().nullable(),
    }),
    template: z.object({ id: z.string(), name: z.string(), version: z.number().int() }),
    route: z.array(
      z.object({
        channel: z.string(),
        channelId: z.string(),
        channelType: z.string(),
        ttlSeconds: z.number().int(),
      }),
    ),
    verifyRecipient: z.boolean(),
    metadata: z.record(z.string(), z.unknown()),
    billable: z
      .boolean()
      .meta({ description: 'Delivered on some step: the only notifications that are paid for' }),
    finalReason: z.string().nullable(),
    statusTimes: z.record(z.string(), z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    attempts: z
      .array(attemptViewSchema)
      .optional()
      .meta({ description: 'Only on GET /v1/notifications/:id' }),
  })
  .meta({ id: 'Notification' });

export type NotificationView = z.input<typeof notificationViewSchema>;

/** The API view; `attempts` (the timeline) only when given. */
export function notificationView(
  doc: StoredNotification,
  attempts: StoredAttempt[] | null,
): NotificationView {
  const times = (doc.statusTimes ?? {}) as Record<string, Date>;
  return {
    id: String(doc._id),
    status: doc.status,
    to: {
      phone: doc.to?.phone ?? null,
      contactId: doc.to?.contactId ? String(doc.to.contactId) : null,
      channelId: doc.to?.channelId ? String(doc.to.channelId) : null,
      externalUserId: doc.to?.externalUserId ?? null,
    },
    template: { id: String(doc.template.id), name: doc.template.name, version: doc.template.version },
    route: doc.route.map((step) => ({
      channel: step.channel,
      channelId: String(step.channelId),
      channelType: step.channelType,
      ttlSeconds: step.ttlSeconds,
    })),
    verifyRecipient: doc.verifyRecipient,
    metadata: (doc.metadata ?? {}) as Record<string, unknown>,
    billable: doc.billable,
    finalReason: doc.finalReason ?? null,
    statusTimes: Object.fromEntries(Object.entries(times).map(([status, at]) => [status, iso(at) ?? ''])),
    createdAt: iso(doc.createdAt) ?? '',
    updatedAt: iso(doc.updatedAt) ?? '',
    ...(attempts ? { attempts: attempts.map(attemptView) } : {}),
  };
}

function attemptView(attempt: StoredAttempt): z.input<typeof attemptViewSchema> {
  return {
    step: attempt.step,
    channel: { id: String(attempt.channelId), type: attempt.channelType },
    status: attempt.status,
    externalMessageId: attempt.externalMessageId ?? null,
    reason: attempt.reason ?? null,
    detail: attempt.detail ?? null,
    ttlSeconds: attempt.ttlSeconds,
    expiresAt: iso(attempt.expiresAt) ?? '',
    withdrawn: attempt.withdrawn ?? null,
    text: attempt.text ?? null,
    timeline: attempt.history.map((entry) => ({
      status: entry.status,
      at: iso(entry.at) ?? '',
      reason: entry.reason ?? null,
    })),
  };
}
