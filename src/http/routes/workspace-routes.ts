import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { scopes } from '../../auth/scopes';
import { AppError } from '../../errors/app-error';
import type { Models } from '../../storage/models';
import type { WorkspaceDirectory } from '../../workspaces/workspace-directory';
import {
  getWorkspaceSettings,
  updateWorkspaceSettings,
  workspaceSettingsPatchSchema,
  workspaceSettingsView,
} from '../../workspaces/workspace-settings';
import { type AnyRoute, defineRoute } from '../route-definition';

const whoAmI = z
  .object({
    workspace: z.object({ id: z.string(), name: z.string(), demo: z.boolean(), createdAt: z.string() }),
    credential: z.object({
      kind: z.enum(['apiKey', 'operator']),
      id: z.string(),
      role: z.string().optional(),
      scopes: z.array(z.enum(scopes)),
    }),
  })
  .meta({ id: 'WorkspaceContext' });

export function workspaceRoutes(deps: { workspaces: WorkspaceDirectory; models: Models }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/workspace',
      summary: 'The workspace and credential behind this request',
      tag: 'workspace',
      access: [],
      response: { status: 200, schema: whoAmI, description: 'Workspace and credential' },
      async handle({ principal }) {
        const workspace = await deps.workspaces.get(principal.workspaceId);
        if (!workspace) throw new AppError('resource.not_found', 'The workspace no longer exists.');
        return {
          workspace: { ...workspace, createdAt: workspace.createdAt.toISOString() },
          credential: credentialView(principal),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspace/settings',
      summary: 'Delivery settings of the workspace (default route, recipient-cap exemption, SMS spend)',
      tag: 'workspace',
      access: ['workspace:admin'],
      response: { status: 200, schema: workspaceSettingsView, description: 'The settings, defaults filled' },
      handle: ({ principal }) => getWorkspaceSettings(deps.models, principal.workspaceId),
    }),
    defineRoute({
      method: 'patch',
      path: '/workspace/settings',
      summary: 'Change delivery settings; given fields replace stored ones (defaultRoute as a whole)',
      tag: 'workspace',
      access: ['workspace:admin'],
      body: workspaceSettingsPatchSchema,
      response: { status: 200, schema: workspaceSettingsView, description: 'The settings after the change' },
      handle: ({ principal, body }) => updateWorkspaceSettings(deps.models, principal.workspaceId, body),
    }),
  ];
}

function credentialView(principal: Principal) {
  return principal.kind === 'apiKey'
    ? { kind: principal.kind, id: principal.keyId, scopes: [...principal.scopes] }
    : { kind: principal.kind, id: principal.operatorId, role: principal.role, scopes: [...principal.scopes] };
}
