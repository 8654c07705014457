import { type Types, trusted } from 'mongoose';
import type { ChannelCapabilities, Recipient } from '../../adapters/contract';
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
 * The recipient a channel can send to, or `null` when this person cannot be reached there (no
 * phone for SMS, no chat identity on that bot…): the step is then skipped as `no-recipient`.
 * Phone channels take the phone; chat channels the person's identity on that very channel
 * (WhatsApp falls back to the phone, its user id); e-mail the contact's address.
 */
export async function resolveRecipient(
  models: Models,
  target: NotificationTarget,
  channel: StepChannel,
): Promise<Recipient | null> {
  if (target.channelId && String(target.channelId) === channel.id && target.externalUserId) {
    return { kind: 'user', externalUserId: target.externalUserId };
  }
  const contact = await findContact(models, target, channel.workspaceId);
  const phone = target.phone ?? contact?.phone ?? null;
  switch (channel.capabilities.initiation) {
    case 'by-phone':
      return phone ? { kind: 'phone', phone } : null;
    case 'by-address':
      return contact?.email ? { kind: 'email', address: contact.email } : null;
    default: {
      const identity = contact?.identities?.find((entry) => String(entry.channelId) === channel.id);
      if (identity) return { kind: 'user', externalUserId: identity.externalUserId };
      const byPhone = channel.capabilities.initiation === 'template-only-outside-window';
      return byPhone && phone ? { kind: 'phone', phone } : null;
    }
  }
}

/** The contact behind the target: by id, by the chat identity given, or by phone. */
async function findContact(
  models: Models,
  target: NotificationTarget,
  workspaceId: string,
): Promise<ContactView | null> {
  const filter = target.contactId
    ? { _id: target.contactId }
    : target.channelId && target.externalUserId
      ? {
          identities: trusted({
            $elemMatch: { channelId: target.channelId, externalUserId: target.externalUserId },
          }),
        }
      : target.phone
        ? { phone: target.phone }
        : null;
  if (!filter) return null;
  return (await models.Contact.findOne({ ...filter, workspaceId })
    .lean()
    .exec()) as ContactView | null;
}
