import { z } from 'zod';
import { businessEventTypes } from '../../webhooks-out/business-events';
import { deliveryPageSchema, deliveryViewSchema } from '../../webhooks-out/delivery-view';
import type { StoredEndpoint } from '../../webhooks-out/endpoint-service';
import { endpointStates } from '../../webhooks-out/webhook-models';
import type { WebhooksLayer } from '../../webhooks-out/webhooks-layer';
import { type AnyRoute, defineRoute } from '../route-definition';
import { idParams } from './common-schemas';

const eventFilter = z
  .array(z.enum([...businessEventTypes, '*']))
  .min(1)
  .max(businessEventTypes.length + 1)
  .meta({
    description: 'Event types to receive; `["*"]` (the default) is every type, also ones added later.',
  });

const createBody = z
  .strictObject({
    url: z.string().trim().min(1).max(2048).meta({ description: 'A public https URL.' }),
    events: eventFilter.default(['*']),
    description: z.string().trim().max(200).default(''),
  })
  .meta({ id: 'CreateWebhookEndpointRequest' });

const endpointView = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    state: z.enum(endpointStates),
    disabledReason: z.string().meta({ description: 'Why it was disabled (a `410 Gone` answer).' }),
    disabledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });

const createdView = endpointView
  .extend({
    secret: z.string().meta({
      description: 'The `whsec_…` signing secret (Standard Webhooks). Shown once; store it now.',
    }),
  })
  .meta({ id: 'CreatedWebhookEndpoint' });

const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Page size (1-100)' }),
  cursor: z
    .string()
    .regex(/^[a-f0-9]{24}$/, 'must be a nextCursor from a previous page')
    .optional()
    .meta({ description: '`nextCursor` of the previous page' }),
});

const replayParams = idParams.extend({ deliveryId: z.string().max(64) });

const secretView = z
  .object({
    secret: z.string().meta({ description: 'The `whsec_…` secret that signs callbackUrl deliveries.' }),
  })
  .meta({ id: 'CallbackSigningSecret' });

function view(doc: StoredEndpoint): z.input<typeof endpointView> {
  return {
    id: String(doc._id),
    url: doc.url,
    description: doc.description,
    events: doc.eventTypes,
    state: doc.state as (typeof endpointStates)[number],
    disabledReason: doc.disabledReason,
    disabledAt: doc.disabledAt?.toISOString() ?? null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

const tag = 'webhook-endpoints';

/** Callback-secret routes come first: `/webhook-endpoints/callback-secret` is not an endpoint id. */
function callbackSecretRoutes({ callbackSecrets }: WebhooksLayer): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/webhook-endpoints/callback-secret',
      summary: "The secret that signs deliveries to notifications' callbackUrl (created on first read)",
      tag,
      access: ['workspace:admin'],
      response: { status: 200, schema: secretView, description: 'The secret' },
      async handle({ principal }) {
        return { secret: await callbackSecrets.reveal(principal.workspaceId) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhook-endpoints/callback-secret/rotate',
      summary: 'Replace the callbackUrl signing secret (takes effect for the next attempt)',
      tag,
      access: ['workspace:admin'],
      response: { status: 200, schema: secretView, description: 'The new secret' },
      async handle({ principal }) {
        return { secret: await callbackSecrets.rotate(principal.workspaceId) };
      },
    }),
  ];
}

function deliveryRoutes({ deliveries }: WebhooksLayer): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/webhook-endpoints/:id/deliveries',
      summary: 'The delivery log of an endpoint, newest first, each delivery with its attempts',
      tag,
      access: ['workspace:read'],
      params: idParams,
      query: deliveriesQuery,
      response: { status: 200, schema: deliveryPageSchema, description: 'A page of deliveries' },
      errors: ['resource.not_found'],
      async handle({ principal, params, query }) {
        return deliveries.list(principal.workspaceId, params.id, query);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhook-endpoints/:id/deliveries/:deliveryId/replay',
      summary: 'Send a delivered, failed or pending event again now (same webhook-id)',
      tag,
      access: ['workspace:admin'],
      params: replayParams,
      response: { status: 202, schema: deliveryViewSchema, description: 'The delivery, queued' },
      errors: ['resource.not_found', 'webhook_endpoint.disabled'],
      async handle({ principal, params }) {
        return deliveries.replay(principal.workspaceId, params.id, params.deliveryId);
      },
    }),
  ];
}

/** `/v1/webhook-endpoints`: where the business receives signed events (Standard Webhooks). */
export function webhookEndpointRoutes(webhooks: WebhooksLayer): AnyRoute[] {
  const { endpoints } = webhooks;
  return [
    ...callbackSecretRoutes(webhooks),
    defineRoute({
      method: 'post',
      path: '/webhook-endpoints',
      summary: 'Register an endpoint (its signing secret is returned once)',
      tag,
      access: ['workspace:admin'],
      body: createBody,
      response: { status: 201, schema: createdView, description: 'The endpoint and its secret' },
      errors: ['webhook_endpoint.url_refused', 'webhook_endpoint.limit_reached'],
      async handle({ principal, body }) {
        const { endpoint, secret } = await endpoints.create(principal.workspaceId, body);
        return { ...view(endpoint), secret };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhook-endpoints',
      summary: 'List endpoints (never their secrets)',
      tag,
      access: ['workspace:read'],
      response: { status: 200, schema: z.object({ items: z.array(endpointView) }), description: 'Endpoints' },
      async handle({ principal }) {
        return { items: (await endpoints.list(principal.workspaceId)).map(view) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhook-endpoints/:id',
      summary: 'One endpoint',
      tag,
      access: ['workspace:read'],
      params: idParams,
      response: { status: 200, schema: endpointView, description: 'The endpoint' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        return view(await endpoints.get(principal.workspaceId, params.id));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/webhook-endpoints/:id',
      summary: 'Delete an endpoint (its pending deliveries fail)',
      tag,
      access: ['workspace:admin'],
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        await endpoints.remove(principal.workspaceId, params.id);
        return undefined;
      },
    }),
    ...deliveryRoutes(webhooks),
  ];
}
