/**
 * `#param#` placeholders in template texts.
 *
 * Syntax, read left to right:
 * - `#name#` is a placeholder; a name is Latin letters, digits and `_` (the same names the
 *   notification gateway substitutes, so a template means the same here and there);
 * - `##` is an escaped literal `#` (`Заказ ##123` renders as `Заказ #123`);
 * - any other `#` is a stray hash and makes the text malformed (`#code` without its closing `#`,
 *   `#код#` with a Cyrillic name, a lone `#` in `C#`).
 *
 * At one position `##` wins over a placeholder, so `###code#` is a literal `#` then `#code#`.
 * Parameter values are inserted literally: a value containing `#x#` or `##` stays as is.
 */

/** One piece of a template text. `offset` is in UTF-16 units, as `String.prototype.slice` wants. */
export type TemplateToken =
  | { kind: 'text'; text: string }
  | { kind: 'placeholder'; name: string }
  | { kind: 'stray-hash'; offset: number };

/** A `#` that is neither part of `##` nor of `#name#`. `position` counts code points from 1. */
export interface StrayHash {
  position: number;
  message: string;
}

/** Which part of a template a problem is in. */
export type TemplatePart = 'body' | 'advertisingTail';

/** The texts of a template that are rendered. An empty (or null) `advertisingTail` means none. */
export interface TemplateText {
  body: string;
  advertisingTail?: string | null;
}

export type RenderResult =
  | { ok: true; text: string; serviceText: string; unused: string[] }
  | { ok: false; missing: string[]; malformed: (StrayHash & { part: TemplatePart })[] };

/** The alternatives cover every character, so global matching walks the whole text. */
const tokenPattern = /##|#([A-Za-z0-9_]+)#|#|[^#]+/g;

function toToken(match: RegExpMatchArray): TemplateToken {
  const [whole, name] = match;
  if (whole === '##') return { kind: 'text', text: '#' };
  if (name !== undefined) return { kind: 'placeholder', name };
  if (whole === '#') return { kind: 'stray-hash', offset: match.index ?? 0 };
  return { kind: 'text', text: whole };
}

/** Splits a template text into literal text, placeholders and stray hashes. */
export function tokenizeTemplate(text: string): TemplateToken[] {
  return [...text.matchAll(tokenPattern)].map(toToken);
}

const placeholderNames = (tokens: readonly TemplateToken[]): string[] =>
  tokens.flatMap((token) => (token.kind === 'placeholder' ? [token.name] : []));

/** Placeholder names of a text in order of use, repeats included. Stray hashes are skipped. */
export const placeholderUses = (text: string): string[] => placeholderNames(tokenizeTemplate(text));

/** Placeholder names of a text, in order of first use, each once. Stray hashes are skipped. */
export function extractPlaceholders(text: string): string[] {
  return [...new Set(placeholderUses(text))];
}

function describeStrayHash(text: string, offset: number): StrayHash {
  const position = [...text.slice(0, offset)].length + 1;
  const near = [...(text.slice(offset).split(/\s/)[0] ?? '#')].slice(0, 16).join('');
  return {
    position,
    message:
      `unmatched "#" at character ${position} ("${near}"): write #name# for a placeholder ` +
      '(Latin letters, digits and _) or ## for a literal #',
  };
}

/** Every stray `#` of a text, in order; an empty list means the placeholders are well-formed. */
export function findStrayHashes(text: string): StrayHash[] {
  return tokenizeTemplate(text).flatMap((token) =>
    token.kind === 'stray-hash' ? [describeStrayHash(text, token.offset)] : [],
  );
}

/** Literal text as it reads, each placeholder as `placeholder` writes it (a stray `#` as is). */
function writeTokens(tokens: readonly TemplateToken[], placeholder: (name: string) => string): string {
  return tokens
    .map((token) => {
      if (token.kind === 'text') return token.text;
      if (token.kind === 'placeholder') return placeholder(token.name);
      return '#';
    })
    .join('');
}

function templateParts(template: TemplateText): { part: TemplatePart; text: string }[] {
  const parts: { part: TemplatePart; text: string }[] = [{ part: 'body', text: template.body }];
  if (template.advertisingTail) parts.push({ part: 'advertisingTail', text: template.advertisingTail });
  return parts;
}

/** The advertising tail follows the service part after exactly one blank line. */
const joinTail = (service: string, tail: string | undefined): string =>
  tail === undefined ? service : `${service.trimEnd()}\n\n${tail.trimStart()}`;

/**
 * A template's whole text with each placeholder written by `placeholder` (`##` as a literal `#`),
 * the advertising tail joined as `renderTemplate` joins it. Checks nothing.
 */
export function writeTemplate(template: TemplateText, placeholder: (name: string) => string): string {
  const [service = '', tail] = templateParts(template).map(({ text }) =>
    writeTokens(tokenizeTemplate(text), placeholder),
  );
  return joinTail(service, tail);
}

/**
 * Renders a template with its parameters. The advertising tail, when present, follows the service
 * part after exactly one blank line (trailing whitespace of the body and leading whitespace of the
 * tail are dropped at the seam). Fails naming every placeholder without a value (a parameter
 * counts as given when it is an own key, even if empty) and every stray `#`; parameters no
 * placeholder uses come back as `unused` on success.
 */
export function renderTemplate(
  template: TemplateText,
  params: Readonly<Record<string, string>>,
): RenderResult {
  const parts = templateParts(template).map((entry) => ({ ...entry, tokens: tokenizeTemplate(entry.text) }));
  const names = [...new Set(parts.flatMap((entry) => placeholderNames(entry.tokens)))];
  const missing = names.filter((name) => !Object.hasOwn(params, name));
  const malformed = parts.flatMap(({ part, text }) =>
    findStrayHashes(text).map((problem) => ({ part, ...problem })),
  );
  if (missing.length > 0 || malformed.length > 0) return { ok: false, missing, malformed };
  const [serviceText = '', tail] = parts.map((entry) =>
    writeTokens(entry.tokens, (name) => params[name] ?? ''),
  );
  const text = joinTail(serviceText, tail);
  const unused = Object.keys(params).filter((key) => !names.includes(key));
  return { ok: true, text, serviceText, unused };
}
