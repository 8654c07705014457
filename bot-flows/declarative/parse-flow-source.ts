/**
 * Flow file text → validated data, or every problem with its file, path, line and column. YAML and
 * JSON go through the same YAML parser (JSON is YAML), so both get line numbers the same way.
 */
import { closest, distance } from 'fastest-levenshtein';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type FlowFile, flowFileSchema } from './flow-file-schema';
import { FlowSourceInvalid, type FlowSourceProblem } from './flow-source-invalid';
import { formatPath } from './problem-path';

/** Flow files larger than this are refused before parsing. */
export const MAX_FLOW_SOURCE_CHARS = 512 * 1024;

interface Parsed {
  doc: Document;
  lines: LineCounter;
  file: string;
}

/** Parses and validates a flow file's text. Throws FlowSourceInvalid listing every problem. */
export function parseFlowSource(source: string, file: string): FlowFile {
  if (source.length > MAX_FLOW_SOURCE_CHARS)
    throw new FlowSourceInvalid([
      {
        file,
        path: '',
        line: null,
        column: null,
        message: `larger than ${MAX_FLOW_SOURCE_CHARS} characters`,
      },
    ]);
  const parsed = parseYaml(source, file);
  const allowedKeys = new Map<string, string[]>();
  const result = flowFileSchema.safeParse(plainData(parsed), {
    error: (issue) => issueMessage(issue, allowedKeys),
  });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => problemsOf(issue, parsed, allowedKeys));
  throw new FlowSourceInvalid(sortByPlace(problems), { cause: result.error });
}

function parseYaml(source: string, file: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => ({
      file,
      path: '',
      ...position(lines, error.pos[0]),
      message: error.message,
    }));
    throw new FlowSourceInvalid(problems, { cause: doc.errors[0] });
  }
  if (!isMap(doc.contents))
    throw new FlowSourceInvalid([
      { file, path: '', ...position(lines, 0), message: 'a flow file is a mapping (flow: …, faq: …)' },
    ]);
  return { doc, lines, file };
}

/** The document as plain data; aliases are expanded only up to a limit (no "billion laughs"). */
function plainData({ doc, file }: Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    const message = `cannot expand the document: ${(cause as { message?: string }).message ?? String(cause)}`;
    throw new FlowSourceInvalid([{ file, path: '', line: null, column: null, message }], { cause });
  }
}

type RawIssue = z.core.$ZodRawIssue;

/** Shorter messages than zod's defaults; remembers the keys an object allows for "did you mean". */
function issueMessage(issue: RawIssue, allowedKeys: Map<string, string[]>): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_type')
    return `must be ${article(issue.expected)}, not ${typeName(issue.input)}`;
  if (issue.code === 'unrecognized_keys') {
    const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
    allowedKeys.set(formatPath(issue.path ?? []), Object.keys(shape ?? {}));
  }
  if (issue.code === 'invalid_key') return issue.issues[0]?.message;
  return undefined;
}

function article(expected: string): string {
  return ['array', 'object', 'integer'].includes(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(input: unknown): string {
  if (input === null) return 'null (an empty value)';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input} ${JSON.stringify(input)}`;
}

function problemsOf(
  issue: z.core.$ZodIssue,
  parsed: Parsed,
  allowedKeys: Map<string, string[]>,
): FlowSourceProblem[] {
  if (issue.code !== 'unrecognized_keys') return [problemAt(parsed, issue.path, issue.message)];
  const allowed = allowedKeys.get(formatPath(issue.path)) ?? [];
  return issue.keys.map((key) => problemAt(parsed, [...issue.path, key], unknownKeyMessage(key, allowed)));
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return `unknown key "${key}"`;
  const near = closest(key, [...allowed]);
  if (distance(key, near) <= Math.max(1, Math.floor(key.length / 3)))
    return `unknown key "${key}" (did you mean "${near}"?)`;
  return `unknown key "${key}" (allowed: ${allowed.join(', ')})`;
}

function problemAt(parsed: Parsed, path: readonly PropertyKey[], message: string): FlowSourceProblem {
  const offset = offsetOf(parsed.doc, path);
  return { file: parsed.file, path: formatPath(path), ...position(parsed.lines, offset), message };
}

/**
 * Where a path points in the text: a mapping entry's key (the line that reads `answer: …`), a
 * list item's start; a path into something missing points at its deepest existing parent.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

function position(lines: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function sortByPlace(problems: FlowSourceProblem[]): FlowSourceProblem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
