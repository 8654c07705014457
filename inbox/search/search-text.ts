import escapeStringRegexp from 'escape-string-regexp';
import { Types, trusted } from 'mongoose';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';

/** How many matching messages one search looks at to find their conversations. */
export const messageMatchLimit = 1000;

/** A case-insensitive "contains" pattern for user text: every character literal, never a raw regex. */
export function containsPattern(text: string): RegExp {
  return new RegExp(escapeStringRegexp(text), 'i');
}

/** Phone search ignores the spaces, dashes and brackets people type: `+7 (912) 555` finds `+7912555…`. */
function phonePattern(text: string): RegExp | null {
  const digits = text.replace(/[\s()\-.]/g, '');
  return /^\+?\d{3,}$/.test(digits) ? containsPattern(digits) : null;
}

/**
 * The conversation filter for a search box: the contact's name or phone (copied on the
 * conversation) contains `q`, or one of its messages' text does. Messages are searched first (at
 * most `messageMatchLimit` hits) and joined by conversation id, since FerretDB has no `$lookup`.
 */
export async function searchFilter(
  core: Pick<InboxCore, 'models'>,
  workspaceId: WorkspaceId,
  q: string,
): Promise<Record<string, unknown>> {
  const pattern = containsPattern(q);
  const phone = phonePattern(q);
  const hits = await core.models.InboxMessage.find({ workspaceId, text: pattern })
    .select({ conversationId: 1 })
    .sort({ _id: -1 })
    .limit(messageMatchLimit)
    .lean()
    .exec();
  const conversationIds = [...new Set(hits.map((hit) => String(hit.conversationId)))];
  return {
    $or: [
      { contactName: pattern },
      { contactPhone: phone ?? pattern },
      ...(conversationIds.length > 0
        ? [{ _id: trusted({ $in: conversationIds.map((id) => new Types.ObjectId(id)) }) }]
        : []),
    ],
  };
}
