import type { Types } from 'mongoose';
import type { ChannelCapabilities, Recipient } from '../../adapters/contract';
import { contactListing } from '../../inbox/contacts/contact-resolver';
import type { Models } from '../storage/models';

/** Who a notification is for, as stored. */
export interface NotificationTarget {
  phone?: string | null;
  contactId?: Types.ObjectId | string | null;
  channelId?: Types.ObjectId | string | null;
  externalUserId?: string | null;
}

/** What a route step needs to know of its channel to address someone there. */
export interface StepChannel {
  id: string;
  workspaceId: string;
  capabilities: Pick<ChannelCapabilities, 'initiation'>;
}

interface ContactView {
  phone?: string | null;
  email?: string | null;
  identities?: { channelId: unknown; externalUserId: string }[];
}

/**
 * Where a step sends, and the person's phone as far as it is known (recipient verification asks
 * about it). `recipient` is `null` when this person cannot be reached on the channel (no phone
 * for SMS, no chat identity on that bot…): the step is then skipped as `no-recipient`.
 * Phone channels take the phone; chat channels the person's identity on that very channel
 * (WhatsApp falls back to the phone, its user id); e-mail the contact's address. The contact is
 * read only when the target alone does not say.
 */
export async function resolveRecipient(
  models: Models,
  target: NotificationTarget,
  channel: StepChannel,
): Promise<{ recipient: Recipient | null; phone: string | null }> {
  const initiation = channel.capabilities.initiation;
  const known = target.phone ?? null;
  if (target.channelId && String(target.channelId) === channel.id && target.externalUserId) {
    return { recipient: { kind: 'user', externalUserId: target.externalUserId }, phone: known };
  }
  if (initiation === 'by-phone' && known) return { recipient: { kind: 'phone', phone: known }, phone: known };
  const contact = await findContact(models, target, channel.workspaceId);
  const phone = known ?? contact?.phone ?? null;
  return { recipient: recipientOn(channel, initiation, contact, phone), phone };
}

function recipientOn(
  channel: StepChannel,
  initiation: StepChannel['capabilities']['initiation'],
  contact: ContactView | null,
  phone: string | null,
): Recipient | null {
  if (initiation === 'by-phone') return phone ? { kind: 'phone', phone } : null;
  if (initiation === 'by-address') return contact?.email ? { kind: 'email', address: contact.email } : null;
  const identity = contact?.identities?.find((entry) => String(entry.channelId) === channel.id);
  if (identity) return { kind: 'user', externalUserId: identity.externalUserId };
  return initiation === 'template-only-outside-window' && phone ? { kind: 'phone', phone } : null;
}

/** The contact behind the target: by id, by the chat identity given (see `contactListing`), or by phone. */
async function findContact(
  models: Models,
  target: NotificationTarget,
  workspaceId: string,
): Promise<ContactView | null> {
  if (target.contactId) return findOneContact(models, { _id: target.contactId, workspaceId });
  if (target.channelId && target.externalUserId) {
    return contactListing(models, workspaceId, String(target.channelId), target.externalUserId);
  }
  if (target.phone) return findOneContact(models, { phone: target.phone, workspaceId });
  return null;
}

async function findOneContact(models: Models, filter: Record<string, unknown>): Promise<ContactView | null> {
  return (await models.Contact.findOne(filter).lean().exec()) as ContactView | null;
}
