import { createMatcher, stemTokens } from '../../bot-flows/matching';
import { buildSyntheticFaq, sampleQueries } from '../../bot-flows/matching/synthetic-faq';
import { type LoopFigures, measureWorkloads, type Workload } from './timed-loop';

/** The FAQ matcher on its own, against the part of its work every matcher must do. */
export interface MatcherResults {
  entries: number;
  queries: number;
  /** Building the matcher over the entries, once, ms. */
  buildMs: number;
  /** Queries whose match is the entry they were made from (or none for the unrelated ones). */
  correct: number;
  matcher: LoopFigures;
  /** Normalizing, tokenizing and stemming the same queries (`stemTokens`), nothing more. */
  ceiling: LoopFigures;
}

export const faqEntries = 500;
const sampleSize = 5000;

/**
 * `createMatcher` over 500 synthetic FAQ entries (Russian and English), then `match()` over 5000
 * sample queries (reworded questions, typos, greetings, unrelated texts) in a loop on this
 * process's core, alternating with the ceiling: `stemTokens` of the same queries.
 */
export async function benchMatcher(seconds: number, note: (line: string) => void): Promise<MatcherResults> {
  const entries = buildSyntheticFaq(faqEntries);
  const queries = sampleQueries(entries, sampleSize);
  const built = performance.now();
  const matcher = createMatcher(entries);
  const buildMs = performance.now() - built;
  const correct = queries.filter(
    (query) => (matcher.match(query.text).match?.entryId ?? null) === query.expectedId,
  ).length;
  const text = (index: number) => (queries[index % queries.length] as { text: string }).text;
  const workloads: Workload[] = [
    { name: 'match', run: (i) => matcher.match(text(i)).candidates.length },
    { name: 'stemTokens', run: (i) => stemTokens(text(i)).length },
  ];
  note(`matcher: ${faqEntries} entries built in ${buildMs.toFixed(0)} ms; ${seconds} rounds of 1 s each`);
  const figures = await measureWorkloads(workloads, seconds, note);
  return {
    entries: faqEntries,
    queries: queries.length,
    buildMs,
    correct,
    matcher: figures.get('match') as LoopFigures,
    ceiling: figures.get('stemTokens') as LoopFigures,
  };
}
