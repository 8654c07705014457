/**
 * Synonym groups mapped to one canonical term each (the first member's stems), both for single
 * stems ("привоз" → "доставк") and for phrases ("живой человек" → "оператор"). A member found in two
 * groups belongs to the first.
 */
import type { AnalyzedTerm } from './analyzed-term';

interface SynonymPhrase {
  stems: readonly string[];
  canonical: string;
}

/** Stems of an authored phrase, as the analyzer gives them (and learns them). */
export type PhraseStemmer = (phrase: string) => string[];

/** Canonical terms for the synonym groups of one matcher or phrase detector. */
export class SynonymTable {
  private readonly singles = new Map<string, string>();
  /** Phrases of two stems or more by their first stem, longest first. */
  private readonly phrases = new Map<string, SynonymPhrase[]>();

  constructor(groups: readonly (readonly string[])[], stemPhrase: PhraseStemmer) {
    for (const group of groups) this.addGroup(group.map(stemPhrase).filter((stems) => stems.length > 0));
    for (const list of this.phrases.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  }

  private addGroup(members: readonly string[][]): void {
    const canonical = members[0]?.join(' ');
    if (canonical === undefined) return;
    for (const stems of members) {
      if (stems.length === 1) {
        if (!this.singles.has(stems[0] as string)) this.singles.set(stems[0] as string, canonical);
        continue;
      }
      const first = stems[0] as string;
      const list = this.phrases.get(first) ?? [];
      list.push({ stems, canonical });
      this.phrases.set(first, list);
    }
  }

  /** `terms` with every synonym member (phrases first, longest first) replaced by its canonical term. */
  canonicalize(terms: readonly AnalyzedTerm[]): AnalyzedTerm[] {
    if (this.singles.size === 0 && this.phrases.size === 0) return [...terms];
    const out: AnalyzedTerm[] = [];
    for (let i = 0; i < terms.length; ) {
      const term = terms[i] as AnalyzedTerm;
      const phrase = this.phraseAt(terms, i);
      if (phrase !== null) {
        const factor = Math.min(...terms.slice(i, i + phrase.stems.length).map((t) => t.factor));
        out.push({ term: phrase.canonical, factor, question: false });
        i += phrase.stems.length;
        continue;
      }
      out.push({ ...term, term: this.singles.get(term.term) ?? term.term });
      i++;
    }
    return out;
  }

  private phraseAt(terms: readonly AnalyzedTerm[], start: number): SynonymPhrase | null {
    const candidates = this.phrases.get((terms[start] as AnalyzedTerm).term);
    if (candidates === undefined) return null;
    const fits = (phrase: SynonymPhrase): boolean =>
      phrase.stems.every((stem, offset) => terms[start + offset]?.term === stem);
    return candidates.find(fits) ?? null;
  }
}
