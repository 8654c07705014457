import { z } from 'zod';
import { channelKinds } from '../../../adapters/contract';
import {
  type PlatformApproval,
  platformApprovalStatuses,
  templateStatuses,
} from '../../templates/template-model';
import { createTemplateSchema, templateCategories } from '../../templates/template-schema';
import type { StoredTemplate, TemplateService } from '../../templates/template-service';
import { type AnyRoute, defineRoute } from '../route-definition';
import { idParams } from './common-schemas';

const status = z.enum(templateStatuses);

const platformApprovalView = z
  .object({
    channelId: z.string(),
    channelType: z.enum(channelKinds),
    platformName: z.string().meta({ description: 'The name the template has on the platform' }),
    status: z.enum(platformApprovalStatuses),
    reason: z.string().nullable().meta({ description: 'The platform’s rejection reason' }),
    submittedAt: z.string().nullable().meta({ description: 'null until the platform accepted it' }),
    decidedAt: z.string().nullable(),
    lastError: z.string().nullable().meta({ description: 'Why the last attempt failed; retried' }),
  })
  .meta({ id: 'TemplatePlatformApproval' });

const isoOrNull = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

function platformView(entry: PlatformApproval): z.input<typeof platformApprovalView> {
  return {
    channelId: entry.channelId,
    channelType: entry.channelType,
    platformName: entry.platformName,
    status: entry.status,
    reason: entry.reason ?? null,
    submittedAt: isoOrNull(entry.submittedAt),
    decidedAt: isoOrNull(entry.decidedAt),
    lastError: entry.lastError ?? null,
  };
}

const templateView = z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.number().int(),
    status,
    body: z.string(),
    advertisingTail: z.string().nullable(),
    category: z.enum(templateCategories),
    channels: z.array(z.enum(channelKinds)),
    buttons: z.array(z.record(z.string(), z.unknown())),
    imageIds: z.array(z.string()),
    placeholders: z
      .array(z.string())
      .meta({ description: 'Names of `#name#` placeholders, in order of use' }),
    rejectionReason: z.string().nullable(),
    platformApprovals: z.array(platformApprovalView).meta({
      description:
        'After approval: the decision of each channel whose platform moderates templates itself ' +
        '(notification gateway, WhatsApp). The template is sendable there only once `approved`.',
    }),
    moderatedBy: z.string().nullable().meta({ description: 'Credential id of the moderator' }),
    moderatedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Template' });

const submitFlag = z
  .boolean()
  .optional()
  .meta({ description: 'Send for moderation at once (status pending)' });
const createBody = createTemplateSchema.extend({ submit: submitFlag }).meta({ id: 'CreateTemplateRequest' });
const { shape } = createTemplateSchema;
const patchBody = z
  .strictObject({
    body: shape.body.optional(),
    advertisingTail: shape.advertisingTail.unwrap().nullable().optional(),
    category: shape.category.optional(),
    channels: shape.channels.optional(),
    buttons: shape.buttons.unwrap().optional(),
    images: shape.images.unwrap().optional(),
    submit: submitFlag,
  })
  .meta({ id: 'UpdateTemplateRequest' });
const listQuery = z.object({
  status: status.optional().meta({ description: 'Only versions in this status' }),
  versions: z.enum(['latest', 'all']).default('latest').meta({
    description: '`latest`: the newest version (of the wanted status) per name; `all`: every version',
  }),
});
const rejectBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'RejectTemplateRequest' });

function view(doc: StoredTemplate): z.input<typeof templateView> {
  return {
    id: String(doc._id),
    name: doc.name,
    version: doc.version,
    status: doc.status,
    body: doc.body,
    advertisingTail: doc.advertisingTail ?? null,
    category: doc.category,
    channels: doc.channels,
    buttons: doc.buttons,
    imageIds: doc.imageIds,
    placeholders: doc.placeholders,
    rejectionReason: doc.rejectionReason ?? null,
    platformApprovals: (doc.platformApprovals ?? []).map(platformView),
    moderatedBy: doc.moderatedBy ?? null,
    moderatedAt: isoOrNull(doc.moderatedAt),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

const one = { status: 200 as const, schema: templateView, description: 'The template version' };

function transitionRoute(
  templates: TemplateService,
  action: 'submit' | 'approve',
  summary: string,
): AnyRoute {
  return defineRoute({
    method: 'post',
    path: `/templates/:id/${action}`,
    summary,
    tag: 'templates',
    access: [action === 'submit' ? 'templates:write' : 'templates:moderate'],
    params: idParams,
    response: one,
    errors: ['resource.not_found', 'template.invalid_transition'],
    async handle({ principal, params }) {
      return view(await templates.transition(principal, params.id, action));
    },
  });
}

export function templateRoutes(deps: { templates: TemplateService }): AnyRoute[] {
  const { templates } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/templates',
      summary: 'Create a template (version 1, draft; pending with `submit: true`)',
      tag: 'templates',
      access: ['templates:write'],
      body: createBody,
      response: { ...one, status: 201 },
      errors: ['resource.conflict'],
      idempotent: true,
      async handle({ principal, body: { submit, ...input } }) {
        return view(await templates.create(principal.workspaceId, input, submit ?? false));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/templates',
      summary: 'List templates: the newest version per name, or every version',
      tag: 'templates',
      access: ['templates:read'],
      query: listQuery,
      response: { status: 200, schema: z.object({ items: z.array(templateView) }), description: 'Templates' },
      async handle({ principal, query }) {
        const latestOnly = query.versions === 'latest';
        const docs = await templates.list(principal.workspaceId, { status: query.status, latestOnly });
        return { items: docs.map(view) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/templates/:id',
      summary: 'One template version',
      tag: 'templates',
      access: ['templates:read'],
      params: idParams,
      response: one,
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        return view(await templates.get(principal.workspaceId, params.id));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/templates/:id',
      summary:
        'Edit a template version. A draft, pending or rejected version is edited in place (back to draft, ' +
        'or pending with `submit`). An approved version is never changed: the answer (200) is a NEW ' +
        'version N+1 holding the changes; compare `id`/`version` with what you sent.',
      tag: 'templates',
      access: ['templates:write'],
      params: idParams,
      body: patchBody,
      response: {
        ...one,
        description: 'The edited version, or the new version when an approved one was edited',
      },
      errors: ['resource.not_found', 'resource.conflict'],
      async handle({ principal, params, body: { submit, ...changes } }) {
        const result = await templates.edit(principal.workspaceId, params.id, changes, submit ?? false);
        return view(result.template);
      },
    }),
    transitionRoute(templates, 'submit', 'Send a draft or rejected version for moderation (pending)'),
    transitionRoute(templates, 'approve', 'Approve a pending version (moderators only)'),
    defineRoute({
      method: 'post',
      path: '/templates/:id/reject',
      summary: 'Reject a pending version with a reason (moderators only)',
      tag: 'templates',
      access: ['templates:moderate'],
      params: idParams,
      body: rejectBody,
      response: one,
      errors: ['resource.not_found', 'template.invalid_transition'],
      async handle({ principal, params, body }) {
        return view(await templates.transition(principal, params.id, 'reject', body.reason));
      },
    }),
  ];
}
