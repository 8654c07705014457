import type { ChannelCapabilities } from '../../adapters/contract';

/** WhatsApp's customer-service window: free text within 24 h of the customer's last message. */
export const serviceWindowMs = 24 * 60 * 60 * 1000;

/** Whether free text may be sent now, until when, and why not. */
export interface ReplyWindow {
  freeTextAllowed: boolean;
  /** When the window closes (null where the channel has no window, or it is closed). */
  closesAt: Date | null;
  reason: string | null;
}

/**
 * The reply window of a conversation. Channels whose `initiation` is
 * `template-only-outside-window` (WhatsApp) take free text only within `serviceWindowMs` of the
 * customer's last message; every other channel always takes it.
 */
export function replyWindow(
  capabilities: ChannelCapabilities,
  lastInboundAt: Date | null | undefined,
  now: Date = new Date(),
): ReplyWindow {
  if (capabilities.initiation !== 'template-only-outside-window') {
    return { freeTextAllowed: true, closesAt: null, reason: null };
  }
  if (!lastInboundAt) {
    return {
      freeTextAllowed: false,
      closesAt: null,
      reason: 'The customer has not written on this channel: only an approved template can be sent.',
    };
  }
  const closesAt = new Date(lastInboundAt.getTime() + serviceWindowMs);
  if (closesAt > now) return { freeTextAllowed: true, closesAt, reason: null };
  return {
    freeTextAllowed: false,
    closesAt: null,
    reason: 'The customer last wrote more than 24 hours ago: only an approved template can be sent.',
  };
}
