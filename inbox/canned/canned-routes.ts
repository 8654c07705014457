import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import type { Principal } from '../../src/auth/principal';
import { AppError } from '../../src/errors/app-error';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import { isDuplicateKey } from '../../src/storage/duplicate-key';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { actorOf } from '../conversations/actor';
import { findConversation } from '../conversations/conversation-access';
import type { InboxCore } from '../inbox-core';
import { fillPlaceholders, unknownPlaceholders } from './canned-placeholders';

const shortcutSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,32}$/, 'letters, digits, _ and -, at most 32')
  .meta({ description: 'Typed after `/` in the composer; unique in the workspace' });

const createCanned = z
  .strictObject({
    shortcut: shortcutSchema,
    title: z.string().trim().min(1).max(100),
    text: z.string().trim().min(1).max(4096),
  })
  .meta({ id: 'CreateCannedResponse' });
const updateCanned = createCanned.partial().meta({ id: 'UpdateCannedResponse' });

export const cannedView = z
  .object({
    id: z.string(),
    shortcut: z.string(),
    title: z.string(),
    text: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CannedResponse' });
type CannedView = z.output<typeof cannedView>;

interface StoredCanned {
  _id: unknown;
  shortcut: string;
  title: string;
  text: string;
  createdAt: Date;
  updatedAt: Date;
}

const view = (doc: StoredCanned): CannedView => ({
  id: String(doc._id),
  shortcut: doc.shortcut,
  title: doc.title,
  text: doc.text,
  createdAt: doc.createdAt.toISOString(),
  updatedAt: doc.updatedAt.toISOString(),
});

const idParams = z.object({ id: z.string() });
const notFound = () => new AppError('resource.not_found', 'No such canned response in this workspace.');
const taken = (shortcut: string) =>
  new AppError('resource.conflict', `The shortcut "${shortcut}" is taken in this workspace.`);

function checkPlaceholders(text: string | undefined): void {
  const unknown = text === undefined ? [] : unknownPlaceholders(text);
  if (unknown.length === 0) return;
  const detail = `unknown placeholders: ${unknown.map((name) => `{{${name}}}`).join(', ')}`;
  throw new AppError('inbox.canned_placeholder_unknown', detail, {
    errors: [{ path: 'body.text', message: detail }],
  });
}

/** Canned responses: CRUD with a unique shortcut, and the list filled in for one conversation. */
export function cannedRoutes(core: InboxCore): AnyRoute[] {
  const { CannedResponse } = core.models;
  const list = async (workspaceId: WorkspaceId) =>
    (
      (await CannedResponse.find({ workspaceId })
        .sort({ shortcut: 1 })
        .limit(1000)
        .lean()
        .exec()) as StoredCanned[]
    ).map(view);
  const findOwn = async (workspaceId: WorkspaceId, id: string) => {
    const doc = isValidObjectId(id)
      ? await CannedResponse.findOne({ _id: id, workspaceId }).lean().exec()
      : null;
    if (!doc) throw notFound();
    return doc as StoredCanned;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/canned-responses',
      summary: 'Canned responses of the workspace, by shortcut',
      tag: 'inbox',
      access: ['inbox:read'],
      response: { status: 200, schema: z.object({ items: z.array(cannedView) }), description: 'The list' },
      handle: async ({ principal }) => ({ items: await list(principal.workspaceId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/canned-responses',
      summary:
        'Create a canned response ({{contact.name}}, {{contact.phone}}, {{operator.name}} are filled in)',
      tag: 'inbox',
      access: ['inbox:write'],
      idempotent: true,
      body: createCanned,
      response: { status: 201, schema: cannedView, description: 'The canned response' },
      errors: ['resource.conflict', 'inbox.canned_placeholder_unknown'],
      async handle({ principal, body }) {
        checkPlaceholders(body.text);
        try {
          const doc = await CannedResponse.create({ workspaceId: principal.workspaceId, ...body });
          return view(doc.toObject() as StoredCanned);
        } catch (error) {
          if (isDuplicateKey(error)) throw taken(body.shortcut);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/canned-responses/:id',
      summary: 'Change a canned response',
      tag: 'inbox',
      access: ['inbox:write'],
      params: idParams,
      body: updateCanned,
      response: { status: 200, schema: cannedView, description: 'The canned response' },
      errors: ['resource.not_found', 'resource.conflict', 'inbox.canned_placeholder_unknown'],
      async handle({ principal, params, body }) {
        const current = await findOwn(principal.workspaceId, params.id);
        checkPlaceholders(body.text);
        // A taken shortcut is refused by the unique index (caught below), not by a read first.
        try {
          const doc = await CannedResponse.findOneAndUpdate(
            { _id: current._id, workspaceId: principal.workspaceId },
            { $set: body },
            { returnDocument: 'after' },
          )
            .lean()
            .exec();
          if (!doc) throw notFound();
          return view(doc as StoredCanned);
        } catch (error) {
          if (isDuplicateKey(error)) throw taken(body.shortcut ?? current.shortcut);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/canned-responses/:id',
      summary: 'Delete a canned response',
      tag: 'inbox',
      access: ['inbox:write'],
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        const { deletedCount } = isValidObjectId(params.id)
          ? await CannedResponse.deleteOne({ _id: params.id, workspaceId: principal.workspaceId }).exec()
          : { deletedCount: 0 };
        if (deletedCount === 0) throw notFound();
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/canned-responses',
      summary: 'Canned responses with their placeholders filled for this conversation',
      tag: 'inbox',
      access: ['inbox:read'],
      params: idParams,
      response: {
        status: 200,
        schema: z.object({ items: z.array(cannedView) }),
        description: 'The filled list',
      },
      errors: ['resource.not_found'],
      async handle({ principal, params }) {
        const values = await valuesFor(core, principal, params.id);
        const items = await list(principal.workspaceId);
        return { items: items.map((item) => ({ ...item, text: fillPlaceholders(item.text, values) })) };
      },
    }),
  ];
}

async function valuesFor(core: InboxCore, principal: Principal, conversationId: string) {
  const conversation = await findConversation(core, principal.workspaceId, conversationId);
  const actor = await actorOf(core, principal);
  return {
    'contact.name': conversation.contactName ?? '',
    'contact.phone': conversation.contactPhone ?? '',
    'operator.name': principal.kind === 'operator' ? actor.name : '',
  };
}
