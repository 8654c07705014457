/**
 * Turns texts into terms for one matcher or phrase detector: tokens → stems → (incoming texts
 * only) typo correction against what it has learnt → synonym canonicalization. A word not known
 * is looked up twice: the word among learnt words ("preroder" ≈ "preorder", whose stems differ
 * more than the words do) and its stem among learnt stems ("доствкой" → "доствк" ≈ "доставк").
 */
import type { AnalyzedTerm } from './analyzed-term';
import { normalizeInput } from './normalize-text';
import { ALL_LANGUAGES, type Token, tokenize, tokenizeNormalized } from './stemming';
import { SynonymTable } from './synonym-table';
import type { MatchLanguage, PhraseOptions } from './types';
import { type TypoCorrection, TypoIndex, typoFactor } from './typo-index';

/** An incoming text's content terms, and the stems of its stop words (phrases may be made of those). */
export interface AnalyzedText {
  content: AnalyzedTerm[];
  stopStems: string[];
  /** The text normalized (its first `MAX_INPUT_CHARS`). */
  normalized: string;
}

interface Vocabulary {
  stems: TypoIndex;
  /** Learnt words and their stems. */
  words: TypoIndex;
  stemOf: Map<string, string>;
}

/** Analyzer of authored texts (learnt) and incoming ones (corrected against what was learnt). */
export class TextAnalyzer {
  private readonly languages: readonly MatchLanguage[];
  private readonly known = new Set<string>();
  private readonly vocabulary: Vocabulary | null;
  private readonly synonyms: SynonymTable;

  constructor(options: PhraseOptions = {}) {
    this.languages = options.languages ?? ALL_LANGUAGES;
    this.vocabulary =
      options.typos === false ? null : { stems: new TypoIndex(), words: new TypoIndex(), stemOf: new Map() };
    this.synonyms = new SynonymTable(options.synonyms ?? [], (phrase) =>
      this.authoredTokens(phrase).map((token) => token.stem),
    );
  }

  /** Terms of an authored text (a question, keyword or phrase), learnt for typo correction. */
  learn(text: string): AnalyzedTerm[] {
    return this.synonyms.canonicalize(this.authoredTokens(text).map(exactTerm));
  }

  /** Terms of an incoming text, each content word typo-corrected when it is not known as it is. */
  analyze(text: string): AnalyzedText {
    const normalized = normalizeInput(text);
    const content: AnalyzedTerm[] = [];
    const stopStems: string[] = [];
    for (const token of tokenizeNormalized(normalized, this.languages)) {
      if (token.stop) stopStems.push(token.stem);
      else content.push(this.resolve(token));
    }
    return { content: this.synonyms.canonicalize(content), stopStems, normalized };
  }

  /** The content tokens of an authored text, learnt; a text of stop words only ("да", "how") keeps those. */
  private authoredTokens(text: string): Token[] {
    const tokens = tokenize(text, this.languages);
    const content = tokens.filter((token) => !token.stop);
    const kept = content.length > 0 ? content : tokens;
    for (const token of kept) this.remember(token);
    return kept;
  }

  /** Each use counts: of two equally close corrections, the more used one wins. */
  private remember(token: Token): void {
    this.known.add(token.stem);
    if (this.vocabulary === null) return;
    this.vocabulary.stems.add(token.stem);
    this.vocabulary.words.add(token.word);
    this.vocabulary.stemOf.set(token.word, token.stem);
  }

  private resolve(token: Token): AnalyzedTerm {
    const correction = this.known.has(token.stem) ? null : this.correct(token);
    if (correction === null) return exactTerm(token);
    return { term: correction.term, factor: typoFactor(correction.distance), question: token.question };
  }

  /**
   * The nearer of the word's and the stem's corrections, as a stem; the word's on a tie, since a
   * whole word that close is the stronger sign ("condtiions" is "conditions", not "conditioner",
   * though its stem "condtiion" is as close to the latter's "condition").
   */
  private correct(token: Token): TypoCorrection | null {
    if (this.vocabulary === null) return null;
    const { stems, words, stemOf } = this.vocabulary;
    const found = words.correct(token.word, token.word.length);
    const byWord = found && { term: stemOf.get(found.term) ?? found.term, distance: found.distance };
    if (byWord?.distance === 1) return byWord;
    const byStem = stems.correct(token.stem, token.word.length);
    return byStem !== null && (byWord === null || byStem.distance < byWord.distance) ? byStem : byWord;
  }
}

function exactTerm(token: Token): AnalyzedTerm {
  return { term: token.stem, factor: 1, question: token.question };
}
