/**
 * Confidence of each entry for one query, read off the inverted index (only entries sharing a term
 * with the query are touched). Per entry question:
 * - query coverage `cq`: weight of the query terms found in the question or the entry's keywords,
 *   over the weight of all query terms (unknown words weigh as much as the rarest known one);
 * - strength `s`: the question's own coverage (weight of its terms the query has, over its weight),
 *   or, when the query holds a whole keyword of the entry, 1;
 * - confidence `(cq · s)^0.7`; typo-corrected terms count {@link typoFactor} of their weight. The
 *   exponent sets the default threshold 0.5 between "сколько стоит доставка?" against a question
 *   "какая стоимость доставки" with keyword "доставка" (cq ≈ 0.4, s = 1: a match) and "сколько стоит
 *   слон?" against "сколько стоит доставка?" (cq ≈ s ≈ 0.6: a miss).
 * An entry's confidence is that of its best question. Ties go to the earlier entry. A query whose
 * known terms are all question words ("сколько?") matches nothing.
 */
import type { AnalyzedTerm } from './analyzed-term';
import type { FaqIndex, IndexedQuestion } from './faq-index';
import { QUESTION_WORD_WEIGHT } from './stop-words';
import type { MatchCandidate } from './types';

/** How many candidates a match reports. */
export const CANDIDATE_COUNT = 3;

const CONFIDENCE_EXPONENT = 0.7;

interface QueryTerm {
  /** Weight times typo factor: what finding it is worth. */
  worth: number;
  factor: number;
}

interface Query {
  /** Known terms by id. */
  terms: Map<number, QueryTerm>;
  totalWeight: number;
  /** Whether a known term is not a question word (question words alone match nothing). */
  knowsContent: boolean;
}

/**
 * Scores queries against one index. Scratch arrays are reused between calls (not re-entrant);
 * per-entry keyword slots are valid when their stamp is the current query's.
 */
export class FaqScorer {
  private readonly questionScores: Float64Array;
  private readonly entryScores: Float64Array;
  private readonly keywordStamps: Int32Array;
  private readonly keywordWorth: Float64Array;
  private readonly keywordStrengths: Float64Array;
  private stamp = 0;

  constructor(private readonly index: FaqIndex) {
    const entryCount = index.entryIds.length;
    this.questionScores = new Float64Array(index.questions.length);
    this.entryScores = new Float64Array(entryCount).fill(-1);
    this.keywordStamps = new Int32Array(entryCount);
    this.keywordWorth = new Float64Array(entryCount);
    this.keywordStrengths = new Float64Array(entryCount);
  }

  /** The best entries for `terms` (confidence above 0), best first, at most {@link CANDIDATE_COUNT}. */
  score(terms: readonly AnalyzedTerm[]): MatchCandidate[] {
    const query = this.resolve(terms);
    if (!query.knowsContent) return [];
    this.stamp = (this.stamp + 1) | 0;
    const questions = this.accumulate(query);
    const entries = this.rateEntries(query, questions, this.keywordHits(query));
    const best = this.topEntries(entries);
    for (const question of questions) this.questionScores[question] = 0;
    for (const entry of entries) this.entryScores[entry] = -1;
    return best;
  }

  private resolve(terms: readonly AnalyzedTerm[]): Query {
    const best = new Map<string, AnalyzedTerm>();
    for (const term of terms) {
      const seen = best.get(term.term);
      if (seen === undefined || seen.factor < term.factor) best.set(term.term, term);
    }
    const query: Query = { terms: new Map(), totalWeight: 0, knowsContent: false };
    for (const term of best.values()) {
      const id = this.index.termIds.get(term.term);
      const weight = id === undefined ? this.unknownWeight(term) : (this.index.weights[id] as number);
      query.totalWeight += weight;
      if (id === undefined) continue;
      query.terms.set(id, { worth: weight * term.factor, factor: term.factor });
      query.knowsContent ||= !term.question;
    }
    return query;
  }

  private unknownWeight(term: AnalyzedTerm): number {
    return this.index.unknownWeight * (term.question ? QUESTION_WORD_WEIGHT : 1);
  }

  /** Adds each known term's worth to the questions holding it; returns the questions touched. */
  private accumulate(query: Query): number[] {
    const touched: number[] = [];
    const scores = this.questionScores;
    for (const [id, term] of query.terms) {
      for (const question of this.index.questionPostings[id] as Int32Array) {
        if (scores[question] === 0) touched.push(question);
        scores[question] = (scores[question] as number) + term.worth;
      }
    }
    return touched;
  }

  /** Fills the keyword slots of the entries whose keywords hold a query term; returns those entries. */
  private keywordHits(query: Query): number[] {
    const entries: number[] = [];
    for (const [id, term] of query.terms) {
      for (const entry of this.index.keywordPostings[id] as Int32Array) {
        if (this.keywordStamps[entry] !== this.stamp) {
          this.keywordStamps[entry] = this.stamp;
          this.keywordWorth[entry] = 0;
          entries.push(entry);
        }
        this.keywordWorth[entry] = (this.keywordWorth[entry] as number) + term.worth;
      }
    }
    for (const entry of entries) this.keywordStrengths[entry] = this.keywordStrength(entry, query);
    return entries;
  }

  /** Rates every entry touched (confidence of its best question); returns them. */
  private rateEntries(
    query: Query,
    questions: readonly number[],
    keywordEntries: readonly number[],
  ): number[] {
    const touched: number[] = [];
    for (const entry of keywordEntries) {
      const coverage = (this.keywordWorth[entry] as number) / query.totalWeight;
      this.rate(touched, entry, coverage, this.keywordStrengths[entry] as number);
    }
    for (const id of questions) {
      const question = this.index.questions[id] as IndexedQuestion;
      const own = this.questionScores[id] as number;
      const coverage = (own + worthOf(question.keywordOnly, query)) / query.totalWeight;
      const keyword =
        this.keywordStamps[question.entry] === this.stamp ? this.keywordStrengths[question.entry] : 0;
      this.rate(touched, question.entry, coverage, Math.max(own / question.weight, keyword as number));
    }
    return touched;
  }

  private rate(touched: number[], entry: number, coverage: number, strength: number): void {
    const confidence =
      Math.round(Math.min(1, (coverage * strength) ** CONFIDENCE_EXPONENT) * 10_000) / 10_000;
    const previous = this.entryScores[entry] as number;
    if (previous < 0) touched.push(entry);
    if (confidence > previous) this.entryScores[entry] = confidence;
  }

  /** The lowest typo factor of the best keyword the query holds whole, or 0. */
  private keywordStrength(entry: number, query: Query): number {
    let strength = 0;
    for (const phrase of this.index.keywordPhrases[entry] ?? []) {
      let factor = phrase.length > 0 ? 1 : 0;
      for (const id of phrase) factor = Math.min(factor, query.terms.get(id)?.factor ?? 0);
      strength = Math.max(strength, factor);
    }
    return strength;
  }

  /** The best {@link CANDIDATE_COUNT} of `entries` above 0, without sorting them all. */
  private topEntries(entries: readonly number[]): MatchCandidate[] {
    const top: number[] = [];
    for (const entry of entries) {
      if ((this.entryScores[entry] as number) <= 0) continue;
      let at = top.length;
      while (at > 0 && this.ranksBefore(entry, top[at - 1] as number)) at--;
      if (at < CANDIDATE_COUNT) top.splice(at, 0, entry);
      if (top.length > CANDIDATE_COUNT) top.pop();
    }
    return top.map((entry) => ({
      entryId: this.index.entryIds[entry] as string,
      confidence: this.entryScores[entry] as number,
    }));
  }

  private ranksBefore(entry: number, other: number): boolean {
    const a = this.entryScores[entry] as number;
    const b = this.entryScores[other] as number;
    return a > b || (a === b && entry < other);
  }
}

/** What the query terms among `ids` are worth. */
function worthOf(ids: Int32Array, query: Query): number {
  let worth = 0;
  for (const id of ids) worth += query.terms.get(id)?.worth ?? 0;
  return worth;
}
