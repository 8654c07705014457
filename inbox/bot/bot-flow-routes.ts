import { z } from 'zod';
import type { FlowEntryInfo } from '../../bot-flows/engine';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import { validationFailed } from '../../src/http/validation';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { buildBotFlowReport } from './bot-flow-report';
import { type BotFlowStore, flowNotFound, type StoredFlowHead } from './bot-flow-store';
import {
  apiSummary,
  flowNameParams,
  flowSummaryView,
  folderSummary,
  reportResult,
  reportView,
  versionItem,
  versionView,
} from './bot-flow-views';
import type { CompiledFlowCache } from './compiled-flow-cache';
import type { LiveFlowRegistry } from './flow-registry';

export interface BotFlowRoutesDeps {
  models: Models;
  store: BotFlowStore;
  registry: LiveFlowRegistry;
  compiled: CompiledFlowCache;
}

/** The default report window. */
const reportDefaultMs = 30 * 24 * 60 * 60_000;

const reportQuery = z.object({
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Turns at or after (ISO 8601); default: 30 days before `to`' }),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Turns before (ISO 8601); default: now' }),
});

const versionParams = flowNameParams.extend({ version: z.coerce.number().int().positive() });

const mediaTypeOf = { yaml: 'application/yaml', json: 'application/json' } as const;

function reportWindow(query: z.output<typeof reportQuery>): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - reportDefaultMs);
  if (from >= to) throw validationFailed([{ path: 'query.from', message: 'must be before `to`' }]);
  return { from, to };
}

/** Reading flows: the list, one flow, its versions and their sources, and the report. */
export function botFlowReadRoutes(deps: BotFlowRoutesDeps): AnyRoute[] {
  const { store, registry } = deps;

  async function summaries(workspaceId: WorkspaceId) {
    const folder = await registry.folderFlows(workspaceId);
    const folderNames = new Set(folder.map((f) => f.flow.name));
    const heads = (await store.heads(workspaceId)).filter((head) => !folderNames.has(head.name));
    const shown = (head: StoredFlowHead) => ({
      name: head.name,
      version: head.activeVersion ?? head.latestVersion,
    });
    const infos = await store.versionInfos(workspaceId, heads.map(shown));
    const uploaded = heads.map((head) => apiSummary(head, infos.get(head.name) ?? null));
    return [...folder.map(folderSummary), ...uploaded].sort((a, b) => a.name.localeCompare(b.name));
  }

  async function activeEntries(workspaceId: WorkspaceId, name: string): Promise<readonly FlowEntryInfo[]> {
    const fromFolder = (await registry.folderFlows(workspaceId)).find((f) => f.flow.name === name);
    if (fromFolder) return fromFolder.flow.entries;
    const head = await store.head(workspaceId, name);
    if (head.activeVersion === null) return [];
    const version = await store.findVersion(workspaceId, name, head.activeVersion);
    return (version && deps.compiled.compiled(version)?.entries) ?? [];
  }

  return [
    defineRoute({
      method: 'get',
      path: '/bot-flows',
      summary: 'Bot flows of the workspace: uploaded ones and, in local mode, those of the flows folder',
      tag: 'bot-flows',
      access: ['bot-flows:read'],
      response: {
        status: 200,
        schema: z.object({ items: z.array(flowSummaryView) }),
        description: 'By name',
      },
      handle: async ({ principal }) => ({ items: await summaries(principal.workspaceId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/bot-flows/:name',
      summary: 'One bot flow (the folder’s when a file declares it, else the uploaded one)',
      tag: 'bot-flows',
      access: ['bot-flows:read'],
      params: flowNameParams,
      response: { status: 200, schema: flowSummaryView, description: 'The flow' },
      errors: ['bot_flow.not_found'],
      async handle({ principal, params }) {
        const found = (await summaries(principal.workspaceId)).find((flow) => flow.name === params.name);
        if (!found) throw flowNotFound(params.name);
        return found;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bot-flows/:name/versions',
      summary: 'Uploaded versions of a flow, newest first, with who uploaded them',
      tag: 'bot-flows',
      access: ['bot-flows:read'],
      params: flowNameParams,
      response: {
        status: 200,
        schema: z.object({ items: z.array(versionView) }),
        description: 'Newest first',
      },
      errors: ['bot_flow.not_found'],
      async handle({ principal, params }) {
        const head = await store.head(principal.workspaceId, params.name);
        const versions = await store.versions(principal.workspaceId, params.name);
        return { items: versions.map((version) => versionItem(version, head.activeVersion)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bot-flows/:name/versions/:version/source',
      summary: 'The flow file of a version, as uploaded',
      tag: 'bot-flows',
      access: ['bot-flows:read'],
      params: versionParams,
      response: {
        status: 200,
        stream: true,
        mediaType: 'application/yaml',
        description: 'The file: application/yaml or application/json, as it was uploaded',
      },
      errors: ['bot_flow.not_found', 'bot_flow.version_not_found'],
      async handle({ principal, params, res }) {
        const version = await store.version(principal.workspaceId, params.name, params.version);
        res.status(200).type(mediaTypeOf[version.format]).send(version.source);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bot-flows/:name/report',
      summary:
        'What a flow did not understand (the most asked first, top 100), the FAQ entries of its active version never matched, and its turns by outcome',
      tag: 'bot-flows',
      access: ['bot-flows:read'],
      params: flowNameParams,
      query: reportQuery,
      response: { status: 200, schema: reportView, description: 'The report over [from, to)' },
      errors: ['bot_flow.not_found'],
      async handle({ principal, params, query }) {
        const window = reportWindow(query);
        const entries = await activeEntries(principal.workspaceId, params.name);
        const report = await buildBotFlowReport(deps.models, principal.workspaceId, params.name, {
          ...window,
          entries,
        });
        return reportResult(report);
      },
    }),
  ];
}
