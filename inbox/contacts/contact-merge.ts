import { trusted } from 'mongoose';
import { AppError } from '../../src/errors/app-error';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { type StoredConversation, viewConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';
import { contactLockKey, type StoredContact } from './contact-resolver';

/**
 * Joins contact `otherId` into `keepId` (same workspace): identities and their claims, the
 * conversations (with their contact name / phone copies, each under its lock, each announced by
 * `conversation.updated`), the messages, and a name, phone or e-mail `keepId` lacks; then deletes
 * `otherId`. Both contacts are locked (in id order, so two opposite merges cannot deadlock). A
 * merge interrupted half-way can be repeated: every step is idempotent and the deletion is last.
 * Not promised: notifications still in flight to `otherId` by contact id find it (they are skipped
 * as `no-recipient`).
 */
export async function mergeContacts(
  core: InboxCore,
  workspaceId: WorkspaceId,
  keepId: string,
  otherId: string,
): Promise<StoredContact> {
  if (keepId === otherId) {
    throw new AppError('contact.merge_invalid', 'A contact cannot be merged into itself.', {
      errors: [{ path: 'body.contactId', message: 'must name another contact' }],
    });
  }
  const [first, second] = [keepId, otherId].sort();
  return core.lock(contactLockKey(String(first)), () =>
    core.lock(contactLockKey(String(second)), () => mergeLocked(core, workspaceId, keepId, otherId)),
  );
}

async function mergeLocked(
  core: InboxCore,
  workspaceId: WorkspaceId,
  keepId: string,
  otherId: string,
): Promise<StoredContact> {
  const load = async (id: string) =>
    (await core.models.Contact.findOne({ _id: id, workspaceId }).lean().exec()) as StoredContact | null;
  const [keep, other] = await Promise.all([load(keepId), load(otherId)]);
  if (!keep || !other) throw new AppError('resource.not_found', 'No such contact in this workspace.');
  await core.models.ContactIdentity.updateMany(
    { workspaceId, contactId: other._id },
    { $set: { contactId: keep._id } },
  ).exec();
  const merged = { ...keep, ...joined(keep, other) };
  await core.models.Contact.updateOne({ _id: keep._id }, { $set: joined(keep, other) }).exec();
  await moveConversations(core, workspaceId, merged, [keep, other]);
  await core.models.InboxMessage.updateMany(
    { workspaceId, contactId: other._id },
    { $set: { contactId: keep._id } },
  ).exec();
  await core.models.Contact.deleteOne({ _id: other._id, workspaceId }).exec();
  return merged;
}

function joined(keep: StoredContact, other: StoredContact) {
  const key = (entry: StoredContact['identities'][number]) =>
    `${String(entry.channelId)}:${entry.externalUserId}`;
  const known = new Set(keep.identities.map(key));
  return {
    name: keep.name ?? other.name ?? null,
    phone: keep.phone ?? other.phone ?? null,
    email: keep.email ?? other.email ?? null,
    identities: [...keep.identities, ...other.identities.filter((entry) => !known.has(key(entry)))],
  };
}

/** Every conversation of either contact now belongs to `merged`, with its copies refreshed. */
async function moveConversations(
  core: InboxCore,
  workspaceId: WorkspaceId,
  merged: StoredContact,
  contacts: StoredContact[],
): Promise<void> {
  const conversations = await core.models.Conversation.find({
    workspaceId,
    contactId: trusted({ $in: contacts.map((contact) => contact._id) }),
  })
    .select({ _id: 1 })
    .lean()
    .exec();
  for (const { _id } of conversations) {
    await core.lock(String(_id), async () => {
      const current = (await core.models.Conversation.findById(_id)
        .lean()
        .exec()) as StoredConversation | null;
      if (!current) return;
      const set = {
        contactId: merged._id,
        contactName: merged.name ?? null,
        contactPhone: merged.phone ?? null,
      };
      const same =
        String(current.contactId) === String(set.contactId) &&
        current.contactName === set.contactName &&
        current.contactPhone === set.contactPhone;
      if (same) return;
      const updated = (await core.models.Conversation.findOneAndUpdate(
        { _id },
        { $set: set },
        { returnDocument: 'after' },
      )
        .lean()
        .exec()) as StoredConversation | null;
      if (!updated) return;
      await core.events.publish(trustedWorkspaceId(String(workspaceId)), {
        type: 'conversation.updated',
        conversationId: String(_id),
        data: viewConversation(updated),
      });
    });
  }
}
