import { z } from 'zod';
import type { ApiKeyDoc } from '../../auth/api-key-model';
import { createApiKey } from '../../auth/api-keys';
import { credentialIds } from '../../auth/credential-revocations';
import { isValidCidr } from '../../auth/ip-allowlist';
import { defaultApiKeyScopes, type Scope } from '../../auth/scopes';
import { AppError } from '../../errors/app-error';
import type { Models } from '../../storage/models';
import { TenantRepository } from '../../storage/tenant-repository';
import { requireGrantable } from '../authenticate';
import { type AnyRoute, defineRoute } from '../route-definition';
import { idParams, limitQuery } from './common-schemas';

const grantableScope = z.enum(defaultApiKeyScopes as [Scope, ...Scope[]], {
  message: `must be one of ${defaultApiKeyScopes.join(', ')} (templates:moderate is granted only by the CLI)`,
});

const createBody = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    scopes: z
      .array(grantableScope)
      .min(1)
      .max(20)
      .default([...defaultApiKeyScopes]),
    allowIps: z
      .array(z.string().refine(isValidCidr, 'must be an IP address or CIDR range'))
      .max(50)
      .default([]),
  })
  .meta({ id: 'CreateApiKeyRequest' });

const apiKeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'Visible part of the key: `vst_<prefix>_…`' }),
    scopes: z.array(z.string()),
    allowIps: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

const createdView = apiKeyView
  .extend({ key: z.string().meta({ description: 'The whole key. Shown once; store it now.' }) })
  .meta({ id: 'CreatedApiKey' });

type KeyFields = Pick<
  ApiKeyDoc,
  'name' | 'prefix' | 'scopes' | 'allowIps' | 'createdAt' | 'lastUsedAt' | 'revokedAt'
> & { _id: unknown };

function view(doc: KeyFields): z.input<typeof apiKeyView> {
  return {
    id: String(doc._id),
    name: doc.name,
    prefix: doc.prefix,
    scopes: doc.scopes,
    allowIps: doc.allowIps,
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt?.toISOString() ?? null,
    revokedAt: doc.revokedAt?.toISOString() ?? null,
  };
}

export function apiKeyRoutes(deps: {
  models: Models;
  onCredentialRevoked: (credentialId: string) => Promise<void>;
}): AnyRoute[] {
  const repo = new TenantRepository(deps.models.ApiKey);
  const notFound = (id: string) => new AppError('resource.not_found', `No API key ${id} in this workspace.`);
  return [
    defineRoute({
      method: 'get',
      path: '/api-keys',
      summary: 'List API keys (never their secrets)',
      tag: 'api-keys',
      access: ['workspace:admin'],
      query: limitQuery,
      response: {
        status: 200,
        schema: z.object({ items: z.array(apiKeyView) }),
        description: 'Keys, newest first',
      },
      async handle({ principal, query }) {
        const docs = await repo.find(principal.workspaceId, {}, { limit: query.limit });
        return { items: docs.map(view) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api-keys',
      summary: 'Create an API key',
      tag: 'api-keys',
      access: ['workspace:admin'],
      body: createBody,
      response: { status: 201, schema: createdView, description: 'The key, shown once' },
      errors: ['auth.scope_missing'],
      async handle({ principal, body }) {
        requireGrantable(principal, body.scopes, 'an API key');
        const created = await createApiKey(deps.models, principal.workspaceId, body);
        return {
          ...view({ _id: created.id, ...created, lastUsedAt: null, revokedAt: null }),
          key: created.key,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api-keys/:id',
      summary: 'One API key',
      tag: 'api-keys',
      access: ['workspace:admin'],
      params: idParams,
      response: { status: 200, schema: apiKeyView, description: 'The key' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        const doc = await repo.findById(principal.workspaceId, params.id);
        if (!doc) throw notFound(params.id);
        return view(doc);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api-keys/:id',
      summary: 'Revoke an API key (takes effect at once on every node)',
      tag: 'api-keys',
      access: ['workspace:admin'],
      params: idParams,
      response: { status: 200, schema: apiKeyView, description: 'The revoked key' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        const existing = await repo.findById(principal.workspaceId, params.id);
        if (!existing) throw notFound(params.id);
        const doc = existing.revokedAt
          ? existing
          : await repo.updateById(principal.workspaceId, params.id, { $set: { revokedAt: new Date() } });
        if (!doc) throw notFound(params.id);
        await deps.onCredentialRevoked(credentialIds.apiKey(doc.prefix));
        return view(doc);
      },
    }),
  ];
}
