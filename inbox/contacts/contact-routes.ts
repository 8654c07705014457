import { isValidObjectId, Types, trusted } from 'mongoose';
import { z } from 'zod';
import { AppError } from '../../src/errors/app-error';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import { validationFailed } from '../../src/http/validation';
import { e164Schema, objectIdSchema } from '../../src/notifications/notification-schema';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import { claimIdentities } from './contact-identities';
import { mergeContacts } from './contact-merge';
import type { StoredContact } from './contact-resolver';

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

const mergeInput = z
  .strictObject({
    contactId: objectIdSchema.meta({ description: 'The contact to join into this one (it is deleted)' }),
  })
  .meta({ id: 'MergeContact' });

const listQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'Part of the name or phone (matched literally, case-insensitive)' }),
  cursor: objectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

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
    createdAt: new Date(doc.createdAt).toISOString(),
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

async function findContact(models: Models, workspaceId: WorkspaceId, id: string): Promise<StoredContact> {
  const doc = isValidObjectId(id)
    ? ((await models.Contact.findOne({ _id: id, workspaceId }).lean().exec()) as StoredContact | null)
    : null;
  if (!doc) throw new AppError('resource.not_found', 'No such contact in this workspace.');
  return doc;
}

/** `q` as a literal, case-insensitive pattern: every regex metacharacter of the user's text escaped. */
export function literalPattern(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'i');
}

/** A name or phone search: the text as typed, and (for phones) its digits with the `+`. */
function searchFilter(q: string) {
  const digits = q.replace(/[\s()+-]/g, '');
  const phone = /^\d+$/.test(digits) ? literalPattern(digits) : literalPattern(q);
  return { $or: [{ name: literalPattern(q) }, { phone }] };
}

/**
 * Contacts as a business knows them: the people notifications address by `{contactId}`, with
 * their phone, e-mail and chat identities (each identity claimed once per workspace). The inbox
 * also creates contacts from inbound messages; two found to be one person are merged.
 */
export function contactRoutes(core: InboxCore): AnyRoute[] {
  const { models } = core;
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
      errors: ['resource.conflict'],
      async handle({ principal, body }) {
        const identities = await resolveIdentities(models, principal.workspaceId, body.identities);
        const contactId = new Types.ObjectId();
        await claimIdentities(models, principal.workspaceId, contactId, identities);
        const doc = await models.Contact.create({
          _id: contactId,
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
      path: '/contacts',
      summary: 'Contacts, newest first, optionally matching a name or phone',
      tag: 'contacts',
      access: ['inbox:read'],
      query: listQuery,
      response: {
        status: 200,
        schema: z.object({ items: z.array(contactView), nextCursor: z.string().nullable() }),
        description: 'One page; pass nextCursor as cursor for the next',
      },
      async handle({ principal, query }) {
        const docs = (await models.Contact.find({
          workspaceId: principal.workspaceId,
          ...(query.cursor ? { _id: trusted({ $lt: new Types.ObjectId(query.cursor) }) } : {}),
          ...(query.q ? searchFilter(query.q) : {}),
        })
          .sort({ _id: -1 })
          .limit(query.limit + 1)
          .lean()
          .exec()) as StoredContact[];
        const page = docs.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page.map(view),
          nextCursor: docs.length > query.limit && last ? String(last._id) : null,
        };
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
      handle: async ({ principal, params }) =>
        view(await findContact(models, principal.workspaceId, params.id)),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/merge',
      summary: 'Join another contact (identities, conversations, messages) into this one and delete it',
      tag: 'contacts',
      access: ['inbox:write'],
      params: z.object({ id: z.string() }),
      body: mergeInput,
      response: { status: 200, schema: contactView, description: 'The merged contact' },
      errors: ['resource.not_found', 'contact.merge_invalid'],
      async handle({ principal, params, body }) {
        const keep = await findContact(models, principal.workspaceId, params.id);
        const merged = await mergeContacts(core, principal.workspaceId, String(keep._id), body.contactId);
        return view(merged);
      },
    }),
  ];
}
