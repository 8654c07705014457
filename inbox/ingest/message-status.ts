import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import type { InboxCore } from '../inbox-core';
import type { MessageStatus } from '../messages/message-model';
import { type StoredMessage, viewMessage } from '../messages/message-view';

/** Delivery statuses a platform or a notification attempt reports for a message we sent. */
export type ReportedStatus = Extract<
  MessageStatus,
  'sent' | 'delivered' | 'read' | 'failed' | 'undelivered' | 'expired'
>;

const rank: Record<MessageStatus, number> = {
  received: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  failed: 6,
  undelivered: 6,
  expired: 6,
};
const failures: readonly MessageStatus[] = ['failed', 'undelivered', 'expired'];

/**
 * Whether `next` moves a message forward: sent → delivered → read; a failure only before the
 * customer got it (a late failure report after `delivered` changes nothing), and never twice.
 */
export function canAdvance(current: MessageStatus, next: MessageStatus): boolean {
  if (failures.includes(current)) return false;
  if (failures.includes(next)) return rank[current] < rank.delivered;
  return rank[next] > rank[current];
}

/** The `statusTimes` entries a move to `next` at `at` sets (reaching `read` implies `delivered` and `sent`). */
function timesFor(message: StoredMessage, next: ReportedStatus, at: Date): Record<string, Date> {
  const times = message.statusTimes ?? {};
  const set: Record<string, Date> = {};
  const mark = (name: 'sent' | 'delivered' | 'read' | 'failed') => {
    if (!times[name]) set[`statusTimes.${name}`] = at;
  };
  if (failures.includes(next)) mark('failed');
  else {
    mark('sent');
    if (next === 'delivered' || next === 'read') mark('delivered');
    if (next === 'read') mark('read');
  }
  return set;
}

/**
 * Moves an outbound message's status forward (see `canAdvance`) under its conversation's lock and
 * publishes `message.updated`. Returns whether it moved; a duplicate, late or backward report
 * changes nothing.
 */
export async function advanceMessageStatus(
  core: InboxCore,
  messageId: string,
  conversationId: string,
  report: { status: ReportedStatus; at: Date; reason?: string | null },
): Promise<boolean> {
  return core.lock(conversationId, async () => {
    const message = (await core.models.InboxMessage.findById(messageId)
      .lean()
      .exec()) as StoredMessage | null;
    if (!message || !canAdvance(message.status as MessageStatus, report.status)) return false;
    const at = validDate(report.at);
    const set: Record<string, unknown> = { status: report.status, ...timesFor(message, report.status, at) };
    if (failures.includes(report.status)) set.failureReason = report.reason ?? report.status;
    const updated = (await core.models.InboxMessage.findOneAndUpdate(
      { _id: message._id },
      { $set: set },
      { returnDocument: 'after' },
    )
      .lean()
      .exec()) as StoredMessage | null;
    if (!updated) return false;
    await core.events.publish(trustedWorkspaceId(String(message.workspaceId)), {
      type: 'message.updated',
      conversationId,
      data: viewMessage(updated),
    });
    return true;
  });
}

/**
 * A platform delivery report (`status-update` event) about a message the inbox sent (an
 * operator's or the bot's reply): `claimed` when the message is ours, whether or not it moved;
 * `done` when no inbox reply has that platform id (notification records follow their attempts).
 */
export async function applyStatusReport(
  core: InboxCore,
  input: {
    workspaceId: string;
    channelId: string;
    externalMessageId: string;
    status: ReportedStatus;
    reason?: string;
    at: Date;
  },
): Promise<'done' | 'claimed'> {
  const message = await core.models.InboxMessage.findOne({
    workspaceId: input.workspaceId,
    channelId: input.channelId,
    externalMessageId: input.externalMessageId,
    direction: 'outbound',
  })
    .select({ _id: 1, conversationId: 1, kind: 1 })
    .lean()
    .exec();
  if (!message || message.kind === 'notification') return 'done';
  await advanceMessageStatus(core, String(message._id), String(message.conversationId), {
    status: input.status,
    at: input.at,
    reason: input.reason ?? null,
  });
  return 'claimed';
}

function validDate(at: Date): Date {
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}
