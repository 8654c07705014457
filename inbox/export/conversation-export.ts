import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import contentDisposition from 'content-disposition';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { channelClause } from '../conversations/conversation-list';
import type { StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import { protectCell } from './csv-cells';

/** Columns of the export, in order (the header row). */
export const exportColumns = [
  'conversation_id',
  'contact_id',
  'contact_name',
  'phone',
  'channel_id',
  'channel_type',
  'external_user_id',
  'tags',
  'state',
  'last_message_at',
] as const;

const exportQuery = z.object({
  tag: z.string().trim().toLowerCase().min(1).max(40).optional(),
  channel: z.string().min(1).max(64).optional().meta({ description: 'A channel id or a channel type' }),
});

function rowOf(doc: StoredConversation): string[] {
  return [
    String(doc._id),
    String(doc.contactId),
    doc.contactName ?? '',
    doc.contactPhone ?? '',
    String(doc.channelId),
    doc.channelType,
    doc.externalChatId,
    (doc.tags ?? []).join(';'),
    doc.state,
    doc.lastMessageAt.toISOString(),
  ];
}

async function streamCsv(
  core: InboxCore,
  workspaceId: WorkspaceId,
  filter: Record<string, unknown>,
  res: Response,
) {
  const cursor = core.models.Conversation.find({ workspaceId: new Types.ObjectId(workspaceId), ...filter })
    .sort({ lastMessageAt: -1, _id: -1 })
    .lean()
    .cursor();
  const rows = Readable.from(
    (async function* () {
      for await (const doc of cursor) yield rowOf(doc as StoredConversation);
    })(),
  );
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', contentDisposition('conversations.csv'));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const csv = stringify({
    header: true,
    columns: [...exportColumns],
    record_delimiter: 'windows',
    cast: { string: protectCell },
  });
  await pipeline(rows, csv, res);
}

/**
 * `GET /conversations/export.csv`: the conversations filtered by tag and channel as RFC 4180 CSV,
 * streamed, one row per conversation with the contact's id on that channel (`external_user_id`,
 * what a mailing audience is built from). Cells are protected against formula injection.
 */
export function exportRoutes(core: InboxCore): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/conversations/export.csv',
      summary: 'Export conversations (filtered by tag and channel) as CSV, with the contact id per channel',
      tag: 'inbox',
      access: ['inbox:read'],
      query: exportQuery,
      response: { status: 200, stream: true, mediaType: 'text/csv', description: 'The CSV file' },
      async handle({ principal, query, res }) {
        const filter = {
          ...(query.tag ? { tags: query.tag } : {}),
          ...(query.channel ? channelClause(query.channel) : {}),
        };
        await streamCsv(core, principal.workspaceId, filter, res);
        return undefined;
      },
    }),
  ];
}
