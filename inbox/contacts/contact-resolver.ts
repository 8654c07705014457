import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { isDuplicateKey } from '../../src/storage/duplicate-key';
import type { Models } from '../../src/storage/models';
import type { InboxCore } from '../inbox-core';

/** A contact as the inbox reads it. */
export interface StoredContact {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  identities: { channelId: Types.ObjectId; channelType: string; externalUserId: string }[];
  createdAt: Date;
}

/** Someone seen on a channel: the sender of an inbound message, or the recipient of a notification. */
export interface PersonOnChannel {
  workspaceId: string;
  channelId: string;
  channelType: string;
  /** Their id on the channel; null where the channel has none (notification gateways, e-mail). */
  externalUserId: string | null;
  name?: string | null;
  /** E.164, when the platform or the notification knows it. */
  phone?: string | null;
  /** A contact the caller already knows (a notification's `to.contactId`), used when no identity claim says otherwise. */
  knownContactId?: string | null;
}

/**
 * The contact whose `identities` list (channel, user id) — contacts created before identity claims,
 * or by other paths; notifications addressed by chat identity find their contact so too.
 * (FerretDB v1 has no `$elemMatch` with field conditions, and dotted paths alone could pair one
 * identity's channel with another's user id: matched on dotted paths, then checked here.)
 */
export async function contactListing(
  models: Models,
  workspaceId: string,
  channelId: string,
  externalUserId: string,
): Promise<StoredContact | null> {
  const docs = (await models.Contact.find({
    workspaceId,
    'identities.channelId': new Types.ObjectId(channelId),
    'identities.externalUserId': externalUserId,
  })
    .limit(20)
    .lean()
    .exec()) as StoredContact[];
  const match = docs.find((doc) =>
    doc.identities.some(
      (identity) => String(identity.channelId) === channelId && identity.externalUserId === externalUserId,
    ),
  );
  return match ?? null;
}

/** Lock keys of contacts, in the conversation lock's key space (ObjectIds and these never collide). */
export const contactLockKey = (contactId: string) => `contact:${contactId}`;
const phoneLockKey = (workspaceId: string, phone: string) =>
  `phone:${workspaceId}:${createHash('sha256').update(phone).digest('hex').slice(0, 32)}`;

/**
 * The contact of a person on a channel, created when new. The identity (workspace, channel,
 * external user id) is claimed in ContactIdentity: the first claim wins and every racing process
 * (or later event) reuses the winner's contact. A new identity links to the contact the caller
 * knows, or that already lists it, or that has the same phone (serialized per phone number, so two
 * new identities with one phone make one contact). Missing name and phone are filled in.
 */
export async function resolveContact(core: InboxCore, person: PersonOnChannel): Promise<StoredContact> {
  const claimed = await claimedContactId(core, person);
  if (claimed) return ensureContact(core, claimed, person);
  // Claim and create under the phone's lock: a second new identity with the same phone must find
  // the first one's contact already stored.
  const settle = async () => ensureContact(core, await pickAndClaim(core, person), person);
  return person.phone ? core.lock(phoneLockKey(person.workspaceId, person.phone), settle) : settle();
}

async function claimedContactId(core: InboxCore, person: PersonOnChannel): Promise<string | null> {
  if (!person.externalUserId) return null;
  const claim = await core.models.ContactIdentity.findOne({
    workspaceId: person.workspaceId,
    channelId: person.channelId,
    externalUserId: person.externalUserId,
  })
    .select({ contactId: 1 })
    .lean()
    .exec();
  return claim ? String(claim.contactId) : null;
}

async function pickAndClaim(core: InboxCore, person: PersonOnChannel): Promise<string> {
  const candidate = await candidateContact(core, person);
  const contactId = candidate ?? String(new Types.ObjectId());
  if (!person.externalUserId) return contactId;
  try {
    await core.models.ContactIdentity.create({
      workspaceId: person.workspaceId,
      channelId: person.channelId,
      externalUserId: person.externalUserId,
      contactId,
    });
    return contactId;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const winner = await claimedContactId(core, person);
    if (!winner) throw new Error('an identity claim vanished while it was being read', { cause: error });
    return winner;
  }
}

/** An existing contact the person is: the one the caller names, the one listing the identity, the one with the phone. */
async function candidateContact(core: InboxCore, person: PersonOnChannel): Promise<string | null> {
  const find = async (filter: Record<string, unknown>) => {
    const doc = await core.models.Contact.findOne({ workspaceId: person.workspaceId, ...filter })
      .select({ _id: 1 })
      .lean()
      .exec();
    return doc ? String(doc._id) : null;
  };
  if (person.knownContactId && Types.ObjectId.isValid(person.knownContactId)) {
    const known = await find({ _id: person.knownContactId });
    if (known) return known;
  }
  if (person.externalUserId) {
    const listed = await contactListing(
      core.models,
      person.workspaceId,
      person.channelId,
      person.externalUserId,
    );
    if (listed) return String(listed._id);
  }
  return person.phone ? find({ phone: person.phone }) : null;
}

/**
 * The contact `contactId` with the person's identity listed and a missing name / phone filled,
 * created when it does not exist yet (a new person, or a claim whose process died before it
 * created the contact). Runs under the contact's lock: FerretDB rewrites whole documents.
 */
async function ensureContact(
  core: InboxCore,
  contactId: string,
  person: PersonOnChannel,
): Promise<StoredContact> {
  const seen = await loadContact(core, contactId);
  if (seen && Object.keys(fillIn(seen, person)).length === 0) return seen;
  return core.lock(contactLockKey(contactId), async () => {
    const current = await loadContact(core, contactId);
    if (!current) return createContact(core, contactId, person);
    const set = fillIn(current, person);
    if (Object.keys(set).length === 0) return current;
    await core.models.Contact.updateOne({ _id: current._id }, { $set: set }).exec();
    return { ...current, ...set } as StoredContact;
  });
}

async function loadContact(core: InboxCore, contactId: string): Promise<StoredContact | null> {
  return (await core.models.Contact.findById(contactId).lean().exec()) as StoredContact | null;
}

async function createContact(
  core: InboxCore,
  contactId: string,
  person: PersonOnChannel,
): Promise<StoredContact> {
  try {
    const doc = await core.models.Contact.create({
      _id: contactId,
      workspaceId: person.workspaceId,
      name: cleanName(person.name),
      phone: person.phone ?? null,
      email: null,
      identities: identityOf(person),
    });
    return doc.toObject() as StoredContact;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await loadContact(core, contactId);
    if (!existing) throw error;
    return existing;
  }
}

function fillIn(current: StoredContact, person: PersonOnChannel): Partial<StoredContact> {
  const set: Partial<StoredContact> = {};
  const identity = identityOf(person);
  const listed = current.identities.some(
    (entry) => String(entry.channelId) === person.channelId && entry.externalUserId === person.externalUserId,
  );
  if (identity.length > 0 && !listed) set.identities = [...current.identities, ...identity];
  const name = cleanName(person.name);
  if (!current.name && name) set.name = name;
  if (!current.phone && person.phone) set.phone = person.phone;
  return set;
}

function identityOf(person: PersonOnChannel): StoredContact['identities'] {
  if (!person.externalUserId) return [];
  return [
    {
      channelId: new Types.ObjectId(person.channelId),
      channelType: person.channelType,
      externalUserId: person.externalUserId,
    },
  ];
}

/** A platform display name, trimmed to the contact schema's 200 characters; null when blank. */
function cleanName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  return trimmed ? [...trimmed].slice(0, 200).join('') : null;
}
