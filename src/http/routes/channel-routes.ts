import { z } from 'zod';
import { channelKinds } from '../../../adapters/contract';
import { adapterRegistry } from '../../../adapters/registry';
import type { ChannelService, ChannelView } from '../../channels/channel-service';
import { channelLimitsInputSchema, channelLimitsView } from '../../limits/channel-limits';
import { type AnyRoute, defineRoute } from '../route-definition';
import { idParams, limitQuery } from './common-schemas';

const channelType = z
  .enum(channelKinds)
  .meta({ description: 'Channel type; its config schema is in the README channel table.' });

const channelView = z
  .object({
    id: z.string(),
    type: channelType,
    name: z.string(),
    config: z
      .record(z.string(), z.unknown())
      .meta({ description: 'Config; secret fields are masked (`…abcd`).' }),
    webhookUrl: z.string().meta({ description: 'Where the platform must send webhooks for this channel.' }),
    connection: z.object({
      state: z.enum(['registered', 'manual', 'not-needed', 'failed']),
      detail: z.string().meta({ description: 'What to do by hand (manual) or what failed.' }),
      checkedAt: z.string(),
    }),
    capabilities: z.record(z.string(), z.unknown()),
    limits: channelLimitsView,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Channel' });

const channelEventView = z
  .object({
    id: z.string(),
    type: z.string(),
    eventKey: z.string(),
    state: z.enum(['received', 'processed', 'failed']),
    event: z.record(z.string(), z.unknown()).meta({ description: 'The normalized event' }),
    files: z.array(
      z.object({
        index: z.number(),
        fileId: z.string().nullable(),
        size: z.number(),
        mimeType: z.string(),
        error: z.string(),
      }),
    ),
    error: z.string(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .meta({ id: 'ChannelEvent' });

const name = z.string().trim().min(1).max(100);
const configObject = z.record(z.string(), z.unknown());

const createBody = z
  .strictObject({
    type: channelType,
    name,
    config: configObject,
    limits: channelLimitsInputSchema.optional(),
  })
  .meta({ id: 'CreateChannelRequest' });
const patchBody = z
  .strictObject({
    name: name.optional(),
    config: configObject.optional(),
    limits: channelLimitsInputSchema.nullable().optional(),
  })
  .refine(
    (body) => body.name !== undefined || body.config !== undefined || body.limits !== undefined,
    'name, config or limits is required',
  )
  .meta({ id: 'UpdateChannelRequest' });
const listQuery = z.object({ type: channelType.optional() });

function withCapabilities(view: ChannelView): z.input<typeof channelView> {
  const definition = adapterRegistry[view.type];
  let capabilities: Record<string, unknown> = {};
  try {
    capabilities = { ...definition.capabilities(view.config) };
  } catch {
    capabilities = {};
  }
  return { ...view, capabilities };
}

export function channelRoutes(deps: { channels: ChannelService }): AnyRoute[] {
  const { channels } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/channels',
      summary: 'List channels',
      tag: 'channels',
      access: ['channels:read'],
      query: listQuery,
      response: { status: 200, schema: z.object({ items: z.array(channelView) }), description: 'Channels' },
      async handle({ principal, query }) {
        const docs = await channels.list(principal.workspaceId, query.type);
        return { items: docs.map((doc) => withCapabilities(channels.view(doc))) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/channels/:id',
      summary: 'One channel',
      tag: 'channels',
      access: ['channels:read'],
      params: idParams,
      response: { status: 200, schema: channelView, description: 'The channel' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        return withCapabilities(channels.view(await channels.get(principal.workspaceId, params.id)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/channels/:id/events',
      summary: 'Recent events the platform sent on this channel, newest first (for checking a connection)',
      tag: 'channels',
      access: ['channels:read'],
      params: idParams,
      query: limitQuery,
      response: {
        status: 200,
        schema: z.object({ items: z.array(channelEventView) }),
        description: 'Events',
      },
      errors: ['resource.not_found'],
      async handle({ principal, params, query }) {
        const docs = await channels.recentEvents(principal.workspaceId, params.id, query.limit);
        return {
          items: docs.map((doc) => ({
            id: String(doc._id),
            type: doc.type,
            eventKey: doc.eventKey,
            state: doc.state,
            event: doc.event as Record<string, unknown>,
            files: doc.files.map((file) => ({ ...file, fileId: file.fileId ? String(file.fileId) : null })),
            error: doc.error,
            receivedAt: doc.createdAt.toISOString(),
            processedAt: doc.processedAt ? doc.processedAt.toISOString() : null,
          })),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/channels',
      summary: 'Connect a channel (registers its webhook where the platform has an API for it)',
      tag: 'channels',
      access: ['channels:admin'],
      body: createBody,
      response: { status: 201, schema: channelView, description: 'The channel, secrets masked' },
      errors: ['channel.config_invalid', 'resource.conflict'],
      async handle({ principal, body }) {
        return withCapabilities(channels.view(await channels.create(principal.workspaceId, body)));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/channels/:id',
      summary: 'Rename a channel or change its config (secret fields left out keep their value)',
      tag: 'channels',
      access: ['channels:admin'],
      params: idParams,
      body: patchBody,
      response: { status: 200, schema: channelView, description: 'The channel, secrets masked' },
      errors: ['resource.not_found', 'channel.config_invalid', 'channel.unavailable', 'resource.conflict'],
      async handle({ principal, params, body }) {
        return withCapabilities(channels.view(await channels.update(principal.workspaceId, params.id, body)));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/channels/:id',
      summary: 'Remove a channel (its webhook is unregistered where possible)',
      tag: 'channels',
      access: ['channels:admin'],
      params: idParams,
      response: { status: 204, description: 'Removed' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        await channels.remove(principal.workspaceId, params.id);
        return undefined;
      },
    }),
  ];
}
