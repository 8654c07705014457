/**
 * FAQ matching for Russian and English: normalization, snowball stemming, synonyms, typo
 * tolerance and a confidence threshold over an inverted index. Pure: no I/O.
 */
export { containsPhrase, createPhraseDetector, type PhraseDetector } from './contains-phrase';
export { createMatcher, DEFAULT_THRESHOLD } from './create-matcher';
export { normalizeText } from './normalize-text';
export { stemTokens } from './stemming';
export type {
  FaqEntrySpec,
  MatchCandidate,
  Matcher,
  MatcherOptions,
  MatchLanguage,
  MatchOutcome,
  PhraseOptions,
} from './types';
