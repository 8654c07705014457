import type { SandboxContext } from '../../sandbox-platform';
import type { ReceivedMessage, VirtualUser } from '../../virtual-users';
import type { ViberAccount, ViberAccountStore } from './accounts';
import { envelope, sendViberCallback } from './callbacks';
import { ViberApiError } from './errors';
import type { SendMessageRequest } from './rules';
import { newMessageToken } from './wire';

/** Viber send_message: at most 100 messages to a user within an hour without a reply. */
const unansweredLimit = 100;
const unansweredWindowMs = 3_600_000;
/** How long after a send the sandbox reports `delivered`. */
const deliveryDelayMs = 30;
const dayMs = 86_400_000;

/** The subscribed user a send_message is addressed to, or Viber's error for why not. */
export function receiverOf(context: SandboxContext, receiver: string): VirtualUser {
  const user = context.users.byAccount('viber', receiver);
  const account = user?.accounts.viber;
  if (!user || !account) throw new ViberApiError('receiverNotRegistered');
  if (!account.reachable) throw new ViberApiError('receiverNotSubscribed');
  return user;
}

/** Counts a send against the per-user cap; status 12 once 100 went unanswered within the hour. */
export function countUnanswered(context: SandboxContext, account: ViberAccount, viberId: string): void {
  const now = context.clock.nowMs();
  const recent = (account.unanswered.get(viberId) ?? []).filter((at) => now - at < unansweredWindowMs);
  if (recent.length >= unansweredLimit) throw new ViberApiError('tooManyRequests');
  account.unanswered.set(viberId, [...recent, now]);
}

const buttonsOf = (request: SendMessageRequest): ReceivedMessage['buttons'] =>
  (request.keyboard?.Buttons ?? []).map((button) =>
    button.ActionType === 'open-url'
      ? { label: button.Text ?? button.ActionBody, kind: 'link' as const, url: button.ActionBody }
      : { label: button.Text ?? button.ActionBody, kind: 'reply' as const, payload: button.ActionBody },
  );

/** Viber's `billing_status`: 1 inside the 24 h after the user wrote, 2 for a subscriber outside it. */
export function billingStatus(context: SandboxContext, user: VirtualUser): number {
  const wroteAt = user.accounts.viber?.lastUserMessageAt?.getTime();
  return wroteAt !== undefined && context.clock.nowMs() - wroteAt < dayMs ? 1 : 2;
}

/**
 * Accepts a message for a subscribed user: records it, then reports `delivered` shortly after
 * (and `seen` when the user reads it). A user who blocked the bot gets nothing and the bot gets a
 * `failed` callback. Returns the message token.
 */
export function acceptMessage(
  context: SandboxContext,
  accounts: ViberAccountStore,
  account: ViberAccount,
  user: VirtualUser,
  request: SendMessageRequest,
): bigint {
  const token = newMessageToken(context.random);
  const viberId = request.receiver;
  accounts.recordSent(account, {
    token: String(token),
    userId: viberId,
    trackingData: request.tracking_data ?? '',
  });
  if (user.accounts.viber?.blocked) {
    const failed = {
      ...envelope(context, 'failed', token),
      user_id: viberId,
      desc: 'receiver blocked the bot',
    };
    context.later(deliveryDelayMs, () => sendViberCallback(context, account, failed));
    return token;
  }
  context.users.deliver(user, {
    platform: 'viber',
    messageId: String(token),
    from: account.uri,
    via: 'chat',
    text: request.text ?? request.media ?? '',
    buttons: buttonsOf(request),
    images: request.type === 'picture' ? [{ mimeType: 'image/jpeg', size: 0 }] : [],
  });
  const delivered = { ...envelope(context, 'delivered', token), user_id: viberId };
  context.later(deliveryDelayMs, () => sendViberCallback(context, account, delivered));
  context.scheduleRead(user, 'viber', String(token));
  return token;
}
