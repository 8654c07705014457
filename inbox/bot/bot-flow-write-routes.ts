import type { Request } from 'express';
import { z } from 'zod';
import { FlowSourceInvalid, type FlowSourceProblem } from '../../bot-flows/declarative';
import type { Principal } from '../../src/auth/principal';
import { AppError, type FieldError } from '../../src/errors/app-error';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { actorOf } from '../conversations/actor';
import type { BotFlowFormat } from './bot-flow-model';
import type { BotFlowStore, FlowAuthor, FlowUpload } from './bot-flow-store';
import { apiSummary, flowNameParams, flowSummaryView, uploadResult, uploadView } from './bot-flow-views';

/** What a flow file may be sent as; JSON is kept as text too (its line numbers are the file's). */
export const flowUploadMediaTypes = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'application/json',
] as const;
/** The largest flow file accepted. */
export const flowUploadLimit = '256kb';

const uploadQuery = z.object({
  activate: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .meta({ description: 'false: store the version without making it active' }),
});

const flowFile = z
  .string()
  .min(1, 'the flow file is empty')
  .meta({ description: 'The flow file itself (YAML or JSON), not wrapped in JSON' });

const rollbackBody = z.strictObject({ version: z.number().int().positive() }).meta({ id: 'BotFlowRollback' });

const formatOf = (req: Request): BotFlowFormat => (req.is('application/json') ? 'json' : 'yaml');

function problemError(problem: FlowSourceProblem): FieldError {
  const place = problem.line === null ? {} : { line: problem.line, column: problem.column ?? 1 };
  return { file: problem.file, path: problem.path, ...place, message: problem.message };
}

/** The store's upload, its compile problems answered as 422 `bot_flow.invalid` with each place. */
async function uploadChecked(store: BotFlowStore, workspaceId: WorkspaceId, upload: FlowUpload) {
  try {
    return await store.upload(workspaceId, upload);
  } catch (error) {
    if (!(error instanceof FlowSourceInvalid)) throw error;
    const errors = error.problems.map(problemError);
    const first = error.message.split('\n')[0] ?? 'the flow file is not valid';
    throw new AppError('bot_flow.invalid', first, { errors, cause: error });
  }
}

async function authorOf(models: Models, principal: Principal): Promise<FlowAuthor> {
  if (principal.kind === 'operator') {
    const actor = await actorOf({ models }, principal);
    return { type: 'operator', id: principal.operatorId, name: actor.name };
  }
  const key = await models.ApiKey.findOne({ _id: principal.keyId, workspaceId: principal.workspaceId })
    .select({ name: 1 })
    .lean()
    .exec();
  return { type: 'api-key', id: principal.keyId, name: key?.name ?? 'API key' };
}

/** Changing flows: upload a version, roll back, enable, disable, delete. */
export function botFlowWriteRoutes(deps: { models: Models; store: BotFlowStore }): AnyRoute[] {
  const { store } = deps;
  const summary = async (workspaceId: WorkspaceId, name: string) => {
    const head = await store.head(workspaceId, name);
    const version = await store.versionInfo(workspaceId, name, head.activeVersion ?? head.latestVersion);
    return apiSummary(head, version);
  };
  const headChange = (path: string, what: string, change: (ws: WorkspaceId, name: string) => Promise<void>) =>
    defineRoute({
      method: 'post',
      path: `/bot-flows/:name/${path}`,
      summary: what,
      tag: 'bot-flows',
      access: ['bot-flows:write'],
      params: flowNameParams,
      response: { status: 200, schema: flowSummaryView, description: 'The flow' },
      errors: ['bot_flow.not_found'],
      async handle({ principal, params }) {
        await change(principal.workspaceId, params.name);
        return summary(principal.workspaceId, params.name);
      },
    });
  return [
    defineRoute({
      method: 'post',
      path: '/bot-flows',
      summary:
        'Upload a flow file (YAML or JSON, as the body itself): stored as the next version of the flow it names and made active',
      tag: 'bot-flows',
      access: ['bot-flows:write'],
      textBody: { mediaTypes: flowUploadMediaTypes, limit: flowUploadLimit },
      body: flowFile,
      query: uploadQuery,
      response: {
        status: 201,
        schema: uploadView,
        description: 'Stored as a new version',
        alsoStatus: { status: 200, description: 'The active version has this very source: nothing stored' },
      },
      errors: ['bot_flow.invalid', 'request.unsupported_media_type', 'request.body_too_large'],
      async handle({ principal, body, query, req, answerAlsoStatus }) {
        const createdBy = await authorOf(deps.models, principal);
        const upload = { source: body, format: formatOf(req), activate: query.activate, createdBy };
        const outcome = await uploadChecked(store, principal.workspaceId, upload);
        if (!outcome.created) answerAlsoStatus();
        return uploadResult(outcome.version, outcome.active);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/bot-flows/:name/rollback',
      summary: 'Make an uploaded version (older or not) the active one',
      tag: 'bot-flows',
      access: ['bot-flows:write'],
      params: flowNameParams,
      body: rollbackBody,
      response: { status: 200, schema: flowSummaryView, description: 'The flow' },
      errors: ['bot_flow.not_found', 'bot_flow.version_not_found'],
      async handle({ principal, params, body }) {
        await store.activate(principal.workspaceId, params.name, body.version);
        return summary(principal.workspaceId, params.name);
      },
    }),
    headChange('enable', 'Let an uploaded flow serve again', (ws, name) => store.setEnabled(ws, name, true)),
    headChange('disable', 'Stop an uploaded flow (its versions are kept)', (ws, name) =>
      store.setEnabled(ws, name, false),
    ),
    defineRoute({
      method: 'delete',
      path: '/bot-flows/:name',
      summary:
        'Delete an uploaded flow and its versions: its conversations go to the next flow that serves them, or to the queue',
      tag: 'bot-flows',
      access: ['bot-flows:write'],
      params: flowNameParams,
      response: { status: 204, description: 'Deleted' },
      errors: ['bot_flow.not_found'],
      async handle({ principal, params }) {
        await store.remove(principal.workspaceId, params.name);
        return undefined;
      },
    }),
  ];
}
