import { z } from 'zod';
import { flowNamePattern } from '../../bot-flows/engine';
import type { BotFlowReport } from './bot-flow-report';
import type { StoredFlowHead, StoredFlowVersion } from './bot-flow-store';
import type { FolderFlow } from './flow-folder';

export const flowNameParams = z.object({
  name: z.string().regex(flowNamePattern, 'a flow name: letters, digits, - and _ (1–64)'),
});

const channelsField = z
  .array(z.string())
  .meta({ description: 'Channel types or ids the flow serves; empty: every channel of the workspace' });
const notificationsField = z
  .array(z.string())
  .meta({ description: 'Template names whose replies start the flow on any channel' });

const authorView = z
  .object({ type: z.enum(['operator', 'api-key']), id: z.string(), name: z.string() })
  .meta({ id: 'BotFlowAuthor', description: 'Who uploaded the version' });

export const flowSummaryView = z
  .object({
    name: z.string(),
    origin: z.enum(['api', 'folder']).meta({
      description:
        'Uploaded through this API (versioned), or a file of the local flows folder (wins over an upload of the same name)',
    }),
    activeVersion: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The version that runs; null until one is activated; 0 for a folder flow' }),
    latestVersion: z.number().int().meta({ description: 'The newest version stored; 0 for a folder flow' }),
    enabled: z.boolean(),
    channels: channelsField,
    notifications: notificationsField,
    entryCount: z
      .number()
      .int()
      .meta({ description: 'FAQ entries (of the active version, else the newest)' }),
    updatedAt: z.string(),
  })
  .meta({ id: 'BotFlow' });
type FlowSummary = z.input<typeof flowSummaryView>;

export const uploadView = z
  .object({
    name: z.string(),
    version: z.number().int(),
    active: z.boolean(),
    channels: channelsField,
    notifications: notificationsField,
    entryCount: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'BotFlowUpload' });

export const versionView = z
  .object({
    version: z.number().int(),
    active: z.boolean(),
    format: z.enum(['yaml', 'json']),
    channels: channelsField,
    notifications: notificationsField,
    entryCount: z.number().int(),
    createdBy: authorView,
    createdAt: z.string(),
  })
  .meta({ id: 'BotFlowVersion' });

export const reportView = z
  .object({
    unanswered: z.array(
      z.object({
        normalized: z
          .string()
          .meta({ description: 'The question as the matcher saw it (what questions are grouped by)' }),
        example: z.string().meta({ description: 'The latest text as a customer wrote it' }),
        count: z.number().int(),
        lastAt: z.string(),
        conversationId: z.string().meta({ description: 'The conversation it was last asked in' }),
      }),
    ),
    neverMatched: z.array(z.object({ entryId: z.string(), title: z.string() })),
    totals: z.object({
      turns: z.number().int(),
      answered: z.number().int(),
      missed: z.number().int(),
      handoffs: z.number().int(),
      errors: z.number().int(),
    }),
  })
  .meta({ id: 'BotFlowReport' });

type SummarySource = Pick<StoredFlowVersion, 'channels' | 'notifications' | 'entryCount'>;

/** An uploaded flow as listed: its head, with what its active (else newest) version serves. */
export function apiSummary(head: StoredFlowHead, version: SummarySource | null): FlowSummary {
  return {
    name: head.name,
    origin: 'api',
    activeVersion: head.activeVersion,
    latestVersion: head.latestVersion,
    enabled: head.enabled,
    channels: version?.channels ?? [],
    notifications: version?.notifications ?? [],
    entryCount: version?.entryCount ?? 0,
    updatedAt: head.updatedAt.toISOString(),
  };
}

/** A folder flow as listed (not versioned: always its file's last good state). */
export function folderSummary(folderFlow: FolderFlow): FlowSummary {
  const { flow } = folderFlow;
  return {
    name: flow.name,
    origin: 'folder',
    activeVersion: 0,
    latestVersion: 0,
    enabled: true,
    channels: [...(flow.channels ?? [])],
    notifications: [...flow.notifications],
    entryCount: flow.entries.length,
    updatedAt: folderFlow.loadedAt.toISOString(),
  };
}

export function uploadResult(version: StoredFlowVersion, active: boolean): z.input<typeof uploadView> {
  return {
    name: version.name,
    version: version.version,
    active,
    channels: version.channels ?? [],
    notifications: version.notifications,
    entryCount: version.entryCount,
    createdAt: version.createdAt.toISOString(),
  };
}

export function versionItem(
  version: Omit<StoredFlowVersion, 'source'>,
  activeVersion: number | null,
): z.input<typeof versionView> {
  return {
    version: version.version,
    active: version.version === activeVersion,
    format: version.format,
    channels: version.channels ?? [],
    notifications: version.notifications,
    entryCount: version.entryCount,
    createdBy: version.createdBy,
    createdAt: version.createdAt.toISOString(),
  };
}

export function reportResult(report: BotFlowReport): z.input<typeof reportView> {
  return {
    ...report,
    unanswered: report.unanswered.map((item) => ({ ...item, lastAt: item.lastAt.toISOString() })),
  };
}
