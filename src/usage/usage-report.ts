import { isValidObjectId, Types } from 'mongoose';
import { z } from 'zod';
import { isChannelKind } from '../../adapters/contract';
import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';

/** Longest range one usage query may span, in days (both ends included). */
const maxUsageRangeDays = 366;
const dayMs = 24 * 60 * 60 * 1000;

function isCalendarDay(day: string): boolean {
  const at = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(day);
}

const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDay, 'must be a real calendar date');

/** `GET /v1/usage` query: an inclusive UTC day range of at most 366 days, optionally one channel. */
export const usageQuerySchema = z
  .object({
    from: calendarDay.meta({ description: 'First day (UTC), YYYY-MM-DD' }),
    to: calendarDay.meta({ description: 'Last day (UTC), YYYY-MM-DD, included' }),
    channel: z
      .string()
      .max(64)
      .refine((v) => isChannelKind(v) || isValidObjectId(v), 'must be a channel id or a channel type')
      .optional()
      .meta({ description: 'Only this channel (id) or channel type' }),
  })
  .superRefine((q, ctx) => {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / dayMs + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (days > maxUsageRangeDays)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range spans at most ${maxUsageRangeDays} days`,
      });
  });

export type UsageQuery = z.output<typeof usageQuerySchema>;

const usageRow = z.object({
  channelId: z.string(),
  channelType: z.string(),
  delivered: z.number().int(),
});

export const usageReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    /** One row per day and channel that had deliveries, by day then channel. */
    items: z.array(usageRow.extend({ day: z.string() })),
    totals: z.object({ delivered: z.number().int(), byChannel: z.array(usageRow) }),
  })
  .meta({ id: 'UsageReport' });

export type UsageReport = z.output<typeof usageReportSchema>;

interface Group {
  _id: { day: string; channelId: Types.ObjectId; channelType: string };
  delivered: number;
}

/** Delivered notifications of a workspace per UTC day and channel, with totals. */
export async function usageReport(
  models: Models,
  workspaceId: WorkspaceId,
  query: UsageQuery,
): Promise<UsageReport> {
  const match: Record<string, unknown> = {
    workspaceId: new Types.ObjectId(workspaceId),
    day: { $gte: query.from, $lte: query.to },
  };
  if (query.channel) {
    if (isChannelKind(query.channel)) match.channelType = query.channel;
    else match.channelId = new Types.ObjectId(query.channel);
  }
  const groups = await models.Usage.aggregate<Group>([
    { $match: match },
    {
      $group: {
        _id: { day: '$day', channelId: '$channelId', channelType: '$channelType' },
        delivered: { $sum: 1 },
      },
    },
  ]).exec();
  const items = groups
    .map((g) => ({
      day: g._id.day,
      channelId: String(g._id.channelId),
      channelType: g._id.channelType,
      delivered: g.delivered,
    }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.channelId.localeCompare(b.channelId));
  return { from: query.from, to: query.to, items, totals: totalsOf(items) };
}

function totalsOf(items: UsageReport['items']): UsageReport['totals'] {
  const byChannel = new Map<string, { channelId: string; channelType: string; delivered: number }>();
  for (const item of items) {
    const row = byChannel.get(item.channelId) ?? {
      channelId: item.channelId,
      channelType: item.channelType,
      delivered: 0,
    };
    row.delivered += item.delivered;
    byChannel.set(item.channelId, row);
  }
  const rows = [...byChannel.values()].sort((a, b) => a.channelId.localeCompare(b.channelId));
  return { delivered: items.reduce((sum, item) => sum + item.delivered, 0), byChannel: rows };
}
