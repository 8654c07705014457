/**
 * YAML text (JSON is YAML) parsed with line numbers, and problems placed in it: syntax errors, an
 * alias expansion past the limit, and zod issues mapped from their path to a line and column.
 * Flow files and transcripts share it, so both report `{file, path, line, column, message}` alike.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  causeMessage,
  FlowSourceInvalid,
  type FlowSourceProblem,
  wholeFileProblem,
} from './flow-source-invalid';
import { formatPath } from './problem-path';

/** How many alias expansions a document may need; more is refused (no "billion laughs"). */
export const MAX_YAML_ALIAS_COUNT = 100;

/** A parsed YAML document that can say where a path in its data is written. */
export interface YamlText {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** A line and column, both 1-based. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A problem that has its place in the text. */
export type PlacedProblem = FlowSourceProblem & TextPosition;

/** Parses YAML keeping line numbers. Throws FlowSourceInvalid with every syntax error, placed. */
export function parseYamlText(source: string, file: string): YamlText {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const text = { file, doc, lines };
  if (doc.errors.length > 0)
    throw new FlowSourceInvalid(
      doc.errors.map((error) => ({
        file,
        path: '',
        ...offsetPosition(text, error.pos[0]),
        message: error.message,
      })),
      { cause: doc.errors[0] },
    );
  return text;
}

/** The document as plain data. Throws FlowSourceInvalid when its aliases expand past the limit. */
export function yamlData(text: YamlText): unknown {
  try {
    return text.doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (cause) {
    const message = `cannot expand the document: ${causeMessage(cause)}`;
    throw new FlowSourceInvalid([wholeFileProblem(text.file, message)], { cause });
  }
}

/** "is required" for a missing key instead of zod's "expected string, received undefined". */
export function requiredMessage(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;
}

/**
 * Zod issues as problems in file order; an unrecognized key is one problem per key, at the key,
 * worded by `unknownKey` (default `unknown key "…"`).
 */
export function issueProblems(
  text: YamlText,
  issues: readonly z.core.$ZodIssue[],
  unknownKey: (key: string, path: readonly PropertyKey[]) => string = (key) => `unknown key "${key}"`,
): PlacedProblem[] {
  const problems = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => problemAt(text, [...issue.path, key], unknownKey(key, issue.path)))
      : [problemAt(text, issue.path, issue.message)],
  );
  return sortByPlace(problems);
}

/** A problem at a path of the document's data. */
function problemAt(text: YamlText, path: readonly PropertyKey[], message: string): PlacedProblem {
  return { file: text.file, path: formatPath(path), ...positionOf(text, path), message };
}

/**
 * Where a path is written: a mapping entry's key (the line that reads `answer: …`), a list item's
 * start; a path into something missing points at its deepest existing parent.
 */
export function positionOf(text: YamlText, path: readonly PropertyKey[]): TextPosition {
  let node = text.doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    const step = stepInto(node, segment);
    if (!step) break;
    [node, offset] = [step.node, step.offset ?? offset];
  }
  return offsetPosition(text, offset);
}

/** The line and column of a character offset. */
export function offsetPosition(text: YamlText, offset: number): TextPosition {
  const { line, col } = text.lines.linePos(offset);
  return { line, column: col };
}

/** Problems by line, then column; problems with no place first. */
function sortByPlace<P extends FlowSourceProblem>(problems: P[]): P[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function stepInto(node: Node | null, segment: PropertyKey): { node: Node | null; offset?: number } | null {
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item ? { node: item, offset: item.range?.[0] } : null;
  }
  if (!isMap(node)) return null;
  const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
  return pair ? { node: pair.value as Node | null, offset: (pair.key as Node).range?.[0] } : null;
}
