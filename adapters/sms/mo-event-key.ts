import { createHash } from 'node:crypto';

/**
 * Event keys for MO messages. SMPP 3.4 deliver_sm carries no message id and no timestamp for MO
 * (schedule_delivery_time and validity_period are NULL), and an SMSC that did not get our
 * deliver_sm_resp delivers the very same PDU again — same sender, recipient, coding and text, new
 * sequence number. So:
 * - when the SMSC puts its own id in `receipted_message_id` (some do for MO), the key is that id;
 * - otherwise the key is a hash of sender, recipient, coding and text, plus the time that content
 *   was first seen: the same content again within `windowMs` is treated as a re-delivery (same key),
 *   later as a new message. Trade-off, documented in the README: an identical text sent twice by
 *   the same person inside the window is one event; a re-delivery after an adapter restart is two.
 */
/** What identifies one MO message. */
export interface MoIdentity {
  source: string;
  destination: string;
  dataCoding: number;
  text: string;
  /** The SMSC's own id for the MO, when it sends one. */
  smscId?: string | undefined;
}

export class MoEventKeys {
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly windowMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly capacity = 50_000,
  ) {}

  /** The event key and the id Vestnik records for the message (SMPP gives MO messages none). */
  keyFor(input: MoIdentity): { eventKey: string; messageId: string } {
    const messageId = input.smscId ?? this.contentId(input);
    return { eventKey: `mo:${input.source}:${messageId}`, messageId };
  }

  private contentId(input: MoIdentity): string {
    const hash = createHash('sha256')
      .update([input.source, input.destination, String(input.dataCoding), input.text].join('\u0000'))
      .digest('hex')
      .slice(0, 24);
    return `${hash}-${this.seenAt(hash).toString(36)}`;
  }

  private seenAt(hash: string): number {
    const now = this.now();
    const seen = this.firstSeen.get(hash);
    if (seen !== undefined && now - seen <= this.windowMs) return seen;
    this.firstSeen.delete(hash);
    this.firstSeen.set(hash, now);
    for (const [key, at] of this.firstSeen) {
      if (this.firstSeen.size <= this.capacity && now - at <= this.windowMs) break;
      this.firstSeen.delete(key);
    }
    return now;
  }
}
