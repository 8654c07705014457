import type { DecodedMessage } from 'smpp';

/** Where a part sits in a concatenated message. */
export interface ConcatenationInfo {
  reference: number;
  total: number;
  seq: number;
}

/**
 * Reads concatenation from the UDH (IEI 0x00: 8-bit reference, IEI 0x08: 16-bit reference,
 * TS 23.040 §9.2.3.24.1/.8) or from the SAR TLVs (SMPP 3.4 §5.3.2.22–24). `null` for a single SMS.
 */
export function concatenationOf(
  udh: readonly Buffer[] | undefined,
  tlvs: Record<string, unknown>,
): ConcatenationInfo | null {
  for (const element of udh ?? []) {
    if (element[0] === 0x00 && element[1] === 3 && element.length >= 5)
      return valid({ reference: element[2] ?? 0, total: element[3] ?? 0, seq: element[4] ?? 0 });
    if (element[0] === 0x08 && element[1] === 4 && element.length >= 6)
      return valid({ reference: element.readUInt16BE(2), total: element[4] ?? 0, seq: element[5] ?? 0 });
  }
  const { sar_msg_ref_num: reference, sar_total_segments: total, sar_segment_seqnum: seq } = tlvs;
  if (typeof reference === 'number' && typeof total === 'number' && typeof seq === 'number')
    return valid({ reference, total, seq });
  return null;
}

const valid = (info: ConcatenationInfo): ConcatenationInfo | null =>
  info.total >= 2 && info.seq >= 1 && info.seq <= info.total ? info : null;

/** The text of a decoded `short_message` / `message_payload`. */
export function messageText(value: DecodedMessage | Buffer | undefined): string {
  if (!value) return '';
  const message = Buffer.isBuffer(value) ? value : value.message;
  return typeof message === 'string' ? message : message.toString('latin1');
}

interface PendingSet<Meta> {
  meta: Meta;
  parts: Map<number, string>;
  total: number;
  timer: NodeJS.Timeout;
}

interface CompletedSet {
  parts: Map<number, string>;
  result: { text: string; parts: number };
  until: number;
}

export interface ReassemblyOptions<Meta> {
  /** How long parts wait for the rest before the incomplete text is handed on. */
  timeoutMs: number;
  /** Most incomplete messages held at once; the oldest is handed on incomplete beyond it. */
  maxPending: number;
  /** Receives texts completed only by the timeout or the bound (with gaps marked). */
  onIncomplete(meta: Meta, text: string, partCount: number): void;
}

/** Marks missing parts in a text handed on incomplete. */
export const missingPartMarker = '[…]';

/**
 * Joins the parts of concatenated MO messages, keyed by sender + recipient + reference. Parts are
 * held in memory: a set still incomplete after `timeoutMs` is handed on with `[…]` in place of each
 * missing part rather than dropped. A part the SMSC delivers again after its message completed
 * (its deliver_sm_resp was lost) yields the completed message again, so it maps to the same event.
 */
export class MoReassembler<Meta> {
  private readonly pending = new Map<string, PendingSet<Meta>>();
  private readonly completed = new Map<string, CompletedSet>();

  constructor(
    private readonly options: ReassemblyOptions<Meta>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a part; returns the whole text (and part count) when this part completes its message. */
  add(
    key: string,
    info: ConcatenationInfo,
    text: string,
    meta: Meta,
  ): { text: string; parts: number } | null {
    const repeated = this.completedWith(key, info.seq, text);
    if (repeated) return repeated;
    const set = this.pending.get(key) ?? this.open(key, info.total, meta);
    set.parts.set(info.seq, text);
    if (set.parts.size < set.total) return null;
    this.remove(key);
    const result = { text: this.join(set), parts: set.total };
    this.remember(key, set.parts, result);
    return result;
  }

  private completedWith(key: string, seq: number, text: string): CompletedSet['result'] | null {
    const done = this.completed.get(key);
    if (!done || done.until < this.now() || done.parts.get(seq) !== text) return null;
    return done.result;
  }

  private remember(key: string, parts: Map<number, string>, result: CompletedSet['result']): void {
    this.completed.delete(key);
    this.completed.set(key, { parts, result, until: this.now() + this.options.timeoutMs });
    const oldest = this.completed.keys().next().value;
    if (this.completed.size > this.options.maxPending && oldest !== undefined) this.completed.delete(oldest);
  }

  /** Stops the timers; incomplete sets are dropped (the process is going away). */
  clear(): void {
    for (const set of this.pending.values()) clearTimeout(set.timer);
    this.pending.clear();
    this.completed.clear();
  }

  private open(key: string, total: number, meta: Meta): PendingSet<Meta> {
    if (this.pending.size >= this.options.maxPending) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.flush(oldest);
    }
    const timer = setTimeout(() => this.flush(key), this.options.timeoutMs);
    timer.unref();
    const set: PendingSet<Meta> = { meta, parts: new Map(), total, timer };
    this.pending.set(key, set);
    return set;
  }

  private flush(key: string): void {
    const set = this.pending.get(key);
    if (!set) return;
    this.remove(key);
    this.options.onIncomplete(set.meta, this.join(set), set.total);
  }

  private remove(key: string): void {
    const set = this.pending.get(key);
    if (set) clearTimeout(set.timer);
    this.pending.delete(key);
  }

  private join(set: { total: number; parts: Map<number, string> }): string {
    return Array.from(
      { length: set.total },
      (_, index) => set.parts.get(index + 1) ?? missingPartMarker,
    ).join('');
  }
}
