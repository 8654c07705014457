/**
 * Answers of reads that every request or step repeats — a workspace's channels, its sendable
 * template versions (accepting), its delivery settings (sending) — kept for `ttlMs` and shared by
 * the whole process, so the hot paths do not read them again each time (on the embedded FerretDB
 * every read scans its collection).
 *
 * Promised: an answer that found nothing (`null`) or failed is never kept, so a template approved
 * a moment ago is found at once; callers ask again with `refresh` before refusing a channel the
 * kept list does not have.
 * Not promised: that a change within the last `ttlMs` is seen — a channel removed, a newer template
 * version approved, a settings PATCH (a new default route, the recipient-cap exemption): such a
 * notification is accepted or sent on the view from before (a step then skips with
 * `channel-removed`, or sends the version it was accepted with).
 */
export class ShortLivedCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The kept answer for `key` while it is fresh, else `load()`'s (then kept). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value as Promise<T>;
    return this.refresh(key, load);
  }

  /** `load()`'s answer, kept for `key` from now on unless it is `null` or fails. */
  refresh<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const value = load();
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(key, { at: this.now(), value });
    const drop = () => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    };
    value.then((answer) => {
      if (answer === null) drop();
    }, drop);
    return value;
  }
}
