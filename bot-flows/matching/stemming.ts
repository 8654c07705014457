/**
 * Tokens and their snowball stems. A word is stemmed by the stemmer of its script (Cyrillic →
 * russian, Latin → english) when that language is enabled, and kept as it is otherwise (digits,
 * other scripts). Stems are cached per language: stemming is the costly step of a match.
 */
import LRUCache from 'mnemonist/lru-cache';
import { newStemmer, type Stemmer } from 'snowball-stemmers';
import { normalizeInput } from './normalize-text';
import { isQuestionWord, isStopWord } from './stop-words';
import type { MatchLanguage } from './types';

/** At most this many content (non-stop) tokens of a text are analysed. */
export const MAX_CONTENT_TOKENS = 64;

/** Both languages, the default. */
export const ALL_LANGUAGES: readonly MatchLanguage[] = ['ru', 'en'];

/** One word of a text: its stem and what kind of word it is. */
export interface Token {
  /** The normalized word (typo tolerance depends on its length). */
  word: string;
  stem: string;
  stop: boolean;
  question: boolean;
}

const CACHE_SIZE = 50_000;
const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z\u00e0-\u024f]/;

interface CachedStemmer {
  stemmer: Stemmer;
  cache: LRUCache<string, string>;
}

const stemmers: Record<MatchLanguage, CachedStemmer> = {
  ru: { stemmer: newStemmer('russian'), cache: new LRUCache(CACHE_SIZE) },
  en: { stemmer: newStemmer('english'), cache: new LRUCache(CACHE_SIZE) },
};

function scriptLanguage(word: string): MatchLanguage | null {
  if (CYRILLIC.test(word)) return 'ru';
  return LATIN.test(word) ? 'en' : null;
}

/** The stem of one normalized word. */
export function stemWord(word: string, languages: readonly MatchLanguage[] = ALL_LANGUAGES): string {
  const language = scriptLanguage(word);
  if (language === null || !languages.includes(language)) return word;
  const { stemmer, cache } = stemmers[language];
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = stemmer.stem(word);
    cache.set(word, stem);
  }
  return stem;
}

/** The tokens of `text`, stop words included and marked, up to {@link MAX_CONTENT_TOKENS} content ones. */
export function tokenize(text: string, languages: readonly MatchLanguage[] = ALL_LANGUAGES): Token[] {
  return tokenizeNormalized(normalizeInput(text), languages);
}

/** {@link tokenize} for text already normalized. */
export function tokenizeNormalized(normalized: string, languages: readonly MatchLanguage[]): Token[] {
  const tokens: Token[] = [];
  let content = 0;
  for (const word of normalized === '' ? [] : normalized.split(' ')) {
    const stop = isStopWord(word);
    if (!stop && ++content > MAX_CONTENT_TOKENS) break;
    tokens.push({ word, stem: stemWord(word, languages), stop, question: isQuestionWord(word) });
  }
  return tokens;
}

/** Normalized, stemmed tokens (stop words removed). */
export function stemTokens(text: string, languages: readonly MatchLanguage[] = ALL_LANGUAGES): string[] {
  return tokenize(text, languages)
    .filter((token) => !token.stop)
    .map((token) => token.stem);
}
