import { z } from 'zod';
import type { OperatorDoc } from '../../auth/operator-model';
import { addOperator, OperatorExistsError } from '../../auth/operators';
import { generatePassword } from '../../auth/passwords';
import { operatorRoles, roleScopes } from '../../auth/scopes';
import { AppError } from '../../errors/app-error';
import type { Models } from '../../storage/models';
import { TenantRepository } from '../../storage/tenant-repository';
import { requireGrantable } from '../authenticate';
import { type AnyRoute, defineRoute } from '../route-definition';
import { idParams, limitQuery } from './common-schemas';

const operatorView = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(operatorRoles),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Operator' });

const createBody = z
  .strictObject({
    email: z.email().max(254),
    role: z.enum(operatorRoles),
    name: z.string().trim().max(120).optional(),
    password: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
  })
  .meta({ id: 'CreateOperatorRequest' });

type OperatorFields = Pick<OperatorDoc, 'email' | 'name' | 'role' | 'disabledAt' | 'createdAt'> & {
  _id: unknown;
};

function view(doc: OperatorFields): z.input<typeof operatorView> {
  return {
    id: String(doc._id),
    email: doc.email,
    name: doc.name,
    role: doc.role,
    disabled: doc.disabledAt !== null && doc.disabledAt !== undefined,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function operatorRoutes(deps: { models: Models }): AnyRoute[] {
  const repo = new TenantRepository(deps.models.Operator);
  return [
    defineRoute({
      method: 'get',
      path: '/operators',
      summary: 'List operators',
      tag: 'operators',
      access: ['workspace:read'],
      query: limitQuery,
      response: { status: 200, schema: z.object({ items: z.array(operatorView) }), description: 'Operators' },
      async handle({ principal, query }) {
        return { items: (await repo.find(principal.workspaceId, {}, { limit: query.limit })).map(view) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/operators/:id',
      summary: 'One operator',
      tag: 'operators',
      access: ['workspace:read'],
      params: idParams,
      response: { status: 200, schema: operatorView, description: 'The operator' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        const doc = await repo.findById(principal.workspaceId, params.id);
        if (!doc) throw new AppError('resource.not_found', `No operator ${params.id} in this workspace.`);
        return view(doc);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/operators',
      summary: 'Add an operator (a password is generated when none is given, and shown once)',
      tag: 'operators',
      access: ['workspace:admin'],
      body: createBody,
      response: {
        status: 201,
        schema: operatorView.extend({ password: z.string().optional() }),
        description: 'The operator',
      },
      errors: ['resource.conflict', 'auth.scope_missing'],
      async handle({ principal, body }) {
        requireGrantable(principal, roleScopes[body.role], `the ${body.role} role`);
        const password = body.password ?? generatePassword();
        try {
          const created = await addOperator(deps.models, principal.workspaceId, { ...body, password });
          return {
            ...view({ _id: created.id, ...created, disabledAt: null }),
            ...(body.password ? {} : { password }),
          };
        } catch (error) {
          if (!(error instanceof OperatorExistsError)) throw error;
          throw new AppError('resource.conflict', error.message, {
            errors: [{ path: 'body.email', message: 'already used in this workspace' }],
          });
        }
      },
    }),
  ];
}
