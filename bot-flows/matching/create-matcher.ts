/**
 * The FAQ matcher: entries indexed once (questions and keywords analysed with the matcher's
 * languages, synonyms and typo tolerance), then each incoming text scored against the index.
 */
import { buildFaqIndex } from './faq-index';
import { FaqScorer } from './faq-scoring';
import { TextAnalyzer } from './text-analyzer';
import type { FaqEntrySpec, Matcher, MatcherOptions, MatchOutcome } from './types';

/** Confidence a match needs unless `threshold` says otherwise. */
export const DEFAULT_THRESHOLD = 0.5;

/**
 * A matcher over `entries`. Building costs a little per entry (stemming, typo index); `match`
 * then touches only entries sharing a term with the text. Throws on a threshold outside 0..1.
 */
export function createMatcher(entries: readonly FaqEntrySpec[], options: MatcherOptions = {}): Matcher {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1))
    throw new RangeError(`threshold must be within 0..1, got ${threshold}`);
  const analyzer = new TextAnalyzer(options);
  const scorer = new FaqScorer(buildFaqIndex(entries, analyzer));
  return {
    entryCount: entries.length,
    match(text: string): MatchOutcome {
      const { content, normalized } = analyzer.analyze(text);
      const candidates = scorer.score(content);
      const best = candidates[0];
      const match = best !== undefined && best.confidence >= threshold ? best : null;
      return { match, candidates, normalized };
    },
  };
}
