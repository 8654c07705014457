/**
 * Typo lookup of a stem (or word) in a vocabulary of stems (or words): a symmetric-delete index
 * (the SymSpell idea: every term is filed under itself and the strings one or two deletions away;
 * a misspelt term is looked up under its own deletions, and the few terms found are checked with
 * the optimal-string-alignment distance, so a swap of two letters is one edit). Never a scan of the
 * vocabulary. mnemonist's SymSpell was measured first: a third of a match's time went to it
 * (a lookup allocates sets and a Map per distance), and below verbosity 2 it can miss the closest
 * term; this index files each term once and costs a few Map reads per lookup.
 */

/** A vocabulary term close to one that was not found as it is. */
export interface TypoCorrection {
  term: string;
  distance: number;
}

/** Terms shorter than this are neither corrected nor offered as corrections ("стол" is not "сто"). */
const MIN_TERM_LENGTH = 4;
/** Longer terms are not corrected either (their deletions would be many; no FAQ word is that long). */
const MAX_TERM_LENGTH = 24;
const MAX_EDITS = 2;
/**
 * The most deletion entries one index files: a term of n letters files about n²/2 of them, so a
 * vocabulary of 4 000 FAQ words fits (the 500-entry synthetic FAQ files about 15 000). Past it,
 * new terms are still matched exactly but not offered as typo corrections, so an uploaded flow
 * full of long unique words compiles in well under a second instead of seconds and 350 MB.
 */
export const MAX_FILED_KEYS = 200_000;

/** Edits tolerated in a word of `length` characters: none below 4, 1 for 4–7, 2 for 8 and more. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/** What a typo-corrected term counts for next to an exact one, by edit distance. */
export function typoFactor(distance: number): number {
  return distance <= 1 ? 0.85 : 0.7;
}

/** A vocabulary that answers "which known term did this misspelt one mean?". */
export class TypoIndex {
  /** Term → how often it was added (of equally close terms, the more frequent wins). */
  private readonly counts = new Map<string, number>();
  /** A term or a deletion of one → the terms filed under it. */
  private readonly filed = new Map<string, string[]>();
  private filedKeys = 0;

  constructor(private readonly maxFiledKeys: number = MAX_FILED_KEYS) {}

  /** Whether the index stopped filing new terms (see {@link MAX_FILED_KEYS}). */
  get full(): boolean {
    return this.filedKeys >= this.maxFiledKeys;
  }

  /** Adds a term (again: it counts once more). */
  add(term: string): void {
    if (term.length < MIN_TERM_LENGTH || term.length > MAX_TERM_LENGTH || this.full) return;
    const count = this.counts.get(term) ?? 0;
    this.counts.set(term, count + 1);
    if (count > 0) return;
    const keys = deletions(term, MAX_EDITS);
    this.filedKeys += keys.size;
    for (const key of keys) {
      const terms = this.filed.get(key);
      if (terms === undefined) this.filed.set(key, [term]);
      else terms.push(term);
    }
  }

  /** The closest known term within the edits a word of `wordLength` tolerates, or null. */
  correct(term: string, wordLength: number): TypoCorrection | null {
    const allowed = allowedEdits(wordLength);
    if (allowed === 0 || term.length < MIN_TERM_LENGTH || term.length > MAX_TERM_LENGTH) return null;
    let best: TypoCorrection | null = null;
    for (const key of deletions(term, allowed)) {
      for (const candidate of this.filed.get(key) ?? []) {
        const distance = osaDistance(term, candidate, allowed);
        if (distance === 0 || distance > allowed) continue;
        if (best === null || this.isBetter(candidate, distance, best)) best = { term: candidate, distance };
      }
    }
    return best;
  }

  private isBetter(term: string, distance: number, than: TypoCorrection): boolean {
    if (distance !== than.distance) return distance < than.distance;
    const count = this.counts.get(term) ?? 0;
    const thanCount = this.counts.get(than.term) ?? 0;
    return count !== thanCount ? count > thanCount : term < than.term;
  }
}

/** `term` and every string up to `depth` deletions away from it. */
function deletions(term: string, depth: number): Set<string> {
  const found = new Set<string>([term]);
  let layer = [term];
  for (let level = 0; level < depth; level++) {
    const next: string[] = [];
    for (const text of layer) {
      for (let at = 0; at < text.length; at++) {
        const shorter = text.slice(0, at) + text.slice(at + 1);
        if (found.has(shorter)) continue;
        found.add(shorter);
        next.push(shorter);
      }
    }
    layer = next;
  }
  return found;
}

/** Three rows of the distance table, reused for terms up to {@link MAX_TERM_LENGTH} long. */
const sharedRows = [0, 1, 2].map(() => new Int32Array(MAX_TERM_LENGTH + 1));

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of adjacent
 * letters, each one edit); anything above `max` is reported as `max + 1`.
 */
export function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = b.length <= MAX_TERM_LENGTH ? sharedRows : [0, 1, 2].map(() => new Int32Array(b.length + 1));
  let [before, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = cellValue(a, b, i, j, before, previous, current);
      rowMin = Math.min(rowMin, current[j] as number);
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length] as number, max + 1);
}

function cellValue(
  a: string,
  b: string,
  i: number,
  j: number,
  before: Int32Array,
  previous: Int32Array,
  current: Int32Array,
): number {
  const cost = a[i - 1] === b[j - 1] ? 0 : 1;
  const value = Math.min(
    (previous[j] as number) + 1,
    (current[j - 1] as number) + 1,
    (previous[j - 1] as number) + cost,
  );
  const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
  return swapped ? Math.min(value, (before[j - 2] as number) + 1) : value;
}
