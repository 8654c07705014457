/**
 * Text normalization shared by indexing and matching: one form for case, ё, punctuation, emoji,
 * stress marks and spacing, so that "Ещё раз, пожалуйста!!! 🙏" and "еще раз пожалуйста" compare equal.
 */

/** Input longer than this is cut before analysis (a chat message past it is not an FAQ question). */
export const MAX_INPUT_CHARS = 4096;

/** {@link normalizeText} of the first {@link MAX_INPUT_CHARS} of `text`. */
export function normalizeInput(text: string): string {
  return normalizeText(text.slice(0, MAX_INPUT_CHARS));
}

const MARKS_AND_APOSTROPHES = /[\p{M}'’ʼ`]/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

/** Lower case, ё→е (and Ё), punctuation and emoji removed, whitespace collapsed, trimmed. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(MARKS_AND_APOSTROPHES, '')
    .replace(NOT_LETTER_OR_DIGIT, ' ')
    .trim();
}
