/**
 * Phrase detection for hand-off words ("оператор", "живой человек"): a phrase is said when all its
 * stems occur in the text, in any order, typos tolerated as in the matcher.
 */
import LRUCache from 'mnemonist/lru-cache';
import { TextAnalyzer } from './text-analyzer';
import type { PhraseOptions } from './types';

/** Tells whether a text says one of the detector's phrases. */
export type PhraseDetector = (text: string) => boolean;

const detectorCache = new LRUCache<string, PhraseDetector>(256);

/** A detector for `phrases`, built once (normalization, stems, typo index) and reused per text. */
export function createPhraseDetector(
  phrases: readonly string[],
  options: PhraseOptions = {},
): PhraseDetector {
  const analyzer = new TextAnalyzer(options);
  const wanted = phrases.map((phrase) => [...new Set(analyzer.learn(phrase).map((term) => term.term))]);
  const usable = wanted.filter((terms) => terms.length > 0);
  return (text) => {
    if (usable.length === 0) return false;
    const { content, stopStems } = analyzer.analyze(text);
    const said = new Set([...content.map((term) => term.term), ...stopStems]);
    return usable.some((terms) => terms.every((term) => said.has(term)));
  };
}

/**
 * Whether `text` says one of `phrases` (each phrase normalized and stemmed; a phrase matches when
 * all its stems occur in the text, typos tolerated as above). For hand-off words:
 * containsPhrase("позовите оператора пж", ["оператор", "живой человек"]) === true.
 * Detectors are cached by phrases and options, so calling this per message stays cheap.
 */
export function containsPhrase(
  text: string,
  phrases: readonly string[],
  options: PhraseOptions = {},
): boolean {
  const key = JSON.stringify([
    phrases,
    options.languages ?? null,
    options.synonyms ?? null,
    options.typos ?? true,
  ]);
  let detector = detectorCache.get(key);
  if (detector === undefined) {
    detector = createPhraseDetector(phrases, options);
    detectorCache.set(key, detector);
  }
  return detector(text);
}
