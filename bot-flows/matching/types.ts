/** A language whose snowball stemmer the matcher runs. */
export type MatchLanguage = 'ru' | 'en';

/** One FAQ entry the matcher can answer with. */
export interface FaqEntrySpec {
  id: string;
  /** Example questions ("Сколько стоит доставка?"). */
  questions: readonly string[];
  /** Extra words or phrases that point at this entry ("доставка", "курьер"). */
  keywords?: readonly string[];
}

/** How texts are analysed and how sure a match must be. */
export interface MatcherOptions {
  /** Languages whose stemmers run (default both: a token is stemmed by the stemmer of its script — Cyrillic → russian, Latin → english). */
  languages?: readonly MatchLanguage[];
  /** Groups of words/phrases meaning the same ("доставка", "привоз", "курьер"); matched after normalization+stemming. */
  synonyms?: readonly (readonly string[])[];
  /** Minimum confidence 0..1 for a match (default 0.5). */
  threshold?: number;
  /** Typo tolerance (default true): edit distance 1 for tokens of 4–7 chars, 2 for 8+, none below 4; a typo-corrected token counts a bit less than an exact one. */
  typos?: boolean;
}

/** An entry and how sure the matcher is that a text asks it (0..1). */
export interface MatchCandidate {
  entryId: string;
  confidence: number;
}

/** What `Matcher.match` found for one text. */
export interface MatchOutcome {
  /** The best entry at or above the threshold, or null (a miss). */
  match: MatchCandidate | null;
  /** Up to 3 best candidates, best first, even below the threshold (for "did you mean" and reports). */
  candidates: MatchCandidate[];
  /** The text after normalization (for reports: group misses by it). */
  normalized: string;
}

/** An FAQ matcher built once over a set of entries; `match` is pure and synchronous. */
export interface Matcher {
  match(text: string): MatchOutcome;
  readonly entryCount: number;
}

/** The options the phrase detector (`containsPhrase`) honours. */
export type PhraseOptions = Pick<MatcherOptions, 'languages' | 'synonyms' | 'typos'>;
