/**
 * The inverted index of a matcher: every entry question is a document of unique term ids; postings
 * list the documents (and, for keywords, the entries) holding a term. Term weights are smoothed
 * IDF over entries, `1 + ln((N + 1) / (df + 1))`, times {@link QUESTION_WORD_WEIGHT} for question
 * words; a term no entry holds weighs as much as the rarest known one.
 */
import type { AnalyzedTerm } from './analyzed-term';
import { QUESTION_WORD_WEIGHT } from './stop-words';
import type { TextAnalyzer } from './text-analyzer';
import type { FaqEntrySpec } from './types';

/** One entry question, as term ids. */
export interface IndexedQuestion {
  entry: number;
  terms: Int32Array;
  /** Terms of the entry's keywords the question lacks (they add to its query coverage). */
  keywordOnly: Int32Array;
  /** Sum of its terms' weights. */
  weight: number;
}

/** Everything scoring reads; built once, never changed. */
export interface FaqIndex {
  entryIds: readonly string[];
  questions: readonly IndexedQuestion[];
  termIds: ReadonlyMap<string, number>;
  weights: Float64Array;
  /** Term id → ids of the questions holding it. */
  questionPostings: readonly Int32Array[];
  /** Term id → indexes of the entries whose keywords hold it. */
  keywordPostings: readonly Int32Array[];
  /** Entry index → its keywords, each as term ids. */
  keywordPhrases: readonly (readonly Int32Array[])[];
  /** Weight of a term no entry holds (a question word's: times {@link QUESTION_WORD_WEIGHT}). */
  unknownWeight: number;
}

/** Term ids handed out so far, and what the weights need to know of them. */
class TermTable {
  readonly ids = new Map<string, number>();
  readonly question: boolean[] = [];
  /** Entry index → ids of the terms in its questions and keywords. */
  readonly perEntry: Set<number>[] = [];

  idsOf(entry: number, terms: readonly AnalyzedTerm[]): Int32Array {
    const ids = new Set<number>();
    const entryTerms = this.perEntry[entry] ?? new Set<number>();
    this.perEntry[entry] = entryTerms;
    for (const { term, question } of terms) {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(term, id);
        this.question.push(question);
      }
      ids.add(id);
      entryTerms.add(id);
    }
    return Int32Array.from(ids);
  }

  weights(entryCount: number): Float64Array {
    const frequency = new Int32Array(this.ids.size);
    for (const terms of this.perEntry) for (const id of terms ?? []) frequency[id] = (frequency[id] ?? 0) + 1;
    return Float64Array.from(
      frequency,
      (df, id) => idf(entryCount, df) * (this.question[id] ? QUESTION_WORD_WEIGHT : 1),
    );
  }
}

/** Indexes `entries` with `analyzer` (which learns their vocabulary on the way). */
export function buildFaqIndex(entries: readonly FaqEntrySpec[], analyzer: TextAnalyzer): FaqIndex {
  const table = new TermTable();
  const questions: IndexedQuestion[] = [];
  const keywordPhrases = entries.map((entry, index) => {
    for (const text of entry.questions) {
      const terms = table.idsOf(index, analyzer.learn(text));
      if (terms.length > 0) questions.push({ entry: index, terms, keywordOnly: new Int32Array(), weight: 0 });
    }
    return (entry.keywords ?? []).map((text) => table.idsOf(index, analyzer.learn(text)));
  });
  const weights = table.weights(entries.length);
  for (const question of questions) completeQuestion(question, weights, keywordPhrases[question.entry] ?? []);
  return {
    entryIds: entries.map((entry) => entry.id),
    questions,
    termIds: table.ids,
    weights,
    questionPostings: postings(
      table.ids.size,
      questions.map((question) => question.terms),
    ),
    keywordPostings: postings(table.ids.size, keywordPhrases.map(uniqueIds)),
    keywordPhrases,
    unknownWeight: idf(entries.length, 1),
  };
}

function idf(entryCount: number, documentFrequency: number): number {
  return 1 + Math.log((entryCount + 1) / (documentFrequency + 1));
}

function completeQuestion(
  question: IndexedQuestion,
  weights: Float64Array,
  keywords: readonly Int32Array[],
): void {
  for (const id of question.terms) question.weight += weights[id] ?? 0;
  question.keywordOnly = uniqueIds(keywords).filter((id) => !question.terms.includes(id));
}

function uniqueIds(phrases: readonly Int32Array[]): Int32Array {
  return Int32Array.from(new Set(phrases.flatMap((phrase) => [...phrase])));
}

/** Inverts `holders` (holder index → term ids) into term id → holder indexes. */
function postings(termCount: number, holders: readonly Int32Array[]): Int32Array[] {
  const lists: number[][] = Array.from({ length: termCount }, () => []);
  holders.forEach((terms, holder) => {
    for (const id of terms) lists[id]?.push(holder);
  });
  return lists.map((list) => Int32Array.from(list));
}
