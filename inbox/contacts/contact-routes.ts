import { isValidObjectId, Types, trusted } from 'mongoose';
import { z } from 'zod';
import { AppError } from '../../src/errors/app-error';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import { validationFailed } from '../../src/http/validation';
import { e164Schema, objectIdSchema } from '../../src/notifications/notification-schema';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';

const identityInput = z.strictObject({
  channelId: objectIdSchema,
  externalUserId: z.string().trim().min(1).max(128),
});

const createContact = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: e164Schema.optional(),
    email: z.email().max(254).optional(),
    identities: z.array(identityInput).max(20).default([]),
  })
  .meta({ id: 'CreateContact' });

const contactView = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    identities: z.array(
      z.object({ channelId: z.string(), channelType: z.string(), externalUserId: z.string() }),
    ),
    createdAt: z.string(),
  })
  .meta({ id: 'Contact' });

interface StoredContact {
  _id: Types.ObjectId;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  identities: { channelId: Types.ObjectId; channelType: string; externalUserId: string }[];
  createdAt: Date;
}

function view(doc: StoredContact): z.input<typeof contactView> {
  return {
    id: String(doc._id),
    name: doc.name ?? null,
    phone: doc.phone ?? null,
    email: doc.email ?? null,
    identities: doc.identities.map((identity) => ({
      channelId: String(identity.channelId),
      channelType: identity.channelType,
      externalUserId: identity.externalUserId,
    })),
    createdAt: doc.createdAt.toISOString(),
  };
}

/** The identities with their channel types, checked against the workspace's channels. */
async function resolveIdentities(
  models: Models,
  workspaceId: WorkspaceId,
  input: z.output<typeof identityInput>[],
) {
  const ids = [...new Set(input.map((identity) => identity.channelId))];
  const channels = await models.Channel.find({
    workspaceId,
    _id: trusted({ $in: ids.map((id) => new Types.ObjectId(id)) }),
  })
    .select({ type: 1 })
    .lean()
    .exec();
  const types = new Map(channels.map((channel) => [String(channel._id), channel.type]));
  return input.map((identity, index) => {
    const channelType = types.get(identity.channelId);
    if (!channelType) {
      throw validationFailed([
        { path: `body.identities.${index}.channelId`, message: 'no such channel in this workspace' },
      ]);
    }
    return { ...identity, channelType };
  });
}

/**
 * Contacts as a business knows them: the people notifications address by `{contactId}`, with
 * their phone, e-mail and chat identities. (The inbox also creates contacts from inbound messages.)
 */
export function contactRoutes(deps: { models: Models }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/contacts',
      summary: 'Create a contact with a phone, e-mail and chat identities',
      tag: 'contacts',
      access: ['inbox:write'],
      idempotent: true,
      body: createContact,
      response: { status: 201, schema: contactView, description: 'The contact' },
      async handle({ principal, body }) {
        const identities = await resolveIdentities(deps.models, principal.workspaceId, body.identities);
        const doc = await deps.models.Contact.create({
          workspaceId: principal.workspaceId,
          name: body.name ?? null,
          phone: body.phone ?? null,
          email: body.email ?? null,
          identities,
        });
        return view(doc.toObject() as StoredContact);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id',
      summary: 'A contact',
      tag: 'contacts',
      access: ['inbox:read'],
      params: z.object({ id: z.string() }),
      response: { status: 200, schema: contactView, description: 'The contact' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        const doc = isValidObjectId(params.id)
          ? ((await deps.models.Contact.findOne({ _id: params.id, workspaceId: principal.workspaceId })
              .lean()
              .exec()) as StoredContact | null)
          : null;
        if (!doc) throw new AppError('resource.not_found', 'No such contact in this workspace.');
        return view(doc);
      },
    }),
  ];
}
