/** Placeholders a canned response may use, and where their values come from. */
export const cannedPlaceholders = ['contact.name', 'contact.phone', 'operator.name'] as const;
export type CannedPlaceholder = (typeof cannedPlaceholders)[number];
export type CannedValues = Record<CannedPlaceholder, string>;

const known: ReadonlySet<string> = new Set(cannedPlaceholders);

/** `{{ name }}` with optional spaces inside the braces; a name is letters, digits, `_` and dots. */
const placeholderPattern = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** Placeholder names a text uses that Vestnik does not fill (each once, in order). */
export function unknownPlaceholders(text: string): string[] {
  const names = [...text.matchAll(placeholderPattern)].map((match) => match[1] ?? '');
  return [...new Set(names.filter((name) => !known.has(name)))];
}

/** The text with every known placeholder replaced by its value (an unknown value is empty). */
export function fillPlaceholders(text: string, values: CannedValues): string {
  return text.replace(placeholderPattern, (whole, name: string) =>
    known.has(name) ? values[name as CannedPlaceholder] : whole,
  );
}
