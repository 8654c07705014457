/** One term of an analysed text: a stem or a synonym group's canonical term. */
export interface AnalyzedTerm {
  term: string;
  /** 1 for an exact term, less for a typo-corrected one (see `typoFactor`). */
  factor: number;
  /** Whether it comes from a question word ("сколько", "where"), which weighs less. */
  question: boolean;
}
