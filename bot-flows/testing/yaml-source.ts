import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from 'yaml';
import type { z } from 'zod';
import type { FlowSourceProblem } from '../declarative';
import { formatPath } from '../declarative/problem-path';

/** A parsed YAML document that can say where a path is. */
export interface YamlSource<T> {
  value: T;
  /** The position of the node at `path`, or of its nearest existing parent. */
  position(path: readonly PropertyKey[]): { line: number; column: number };
}

/**
 * Parses YAML (JSON is YAML) and validates it with a zod schema. Returns the problems instead when
 * the text is not YAML or does not fit the schema, each with its line and column.
 */
export function parseYamlSource<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): { ok: true; source: YamlSource<z.output<S>> } | { ok: false; problems: FlowSourceProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0)
    return { ok: false, problems: doc.errors.map((error) => syntaxProblem(file, error, lineCounter)) };
  const parsed = schema.safeParse(doc.toJS(), { error: requiredMessage });
  const position = (path: readonly PropertyKey[]) => locate(doc, lineCounter, path);
  if (parsed.success) return { ok: true, source: { value: parsed.data, position } };
  return {
    ok: false,
    problems: parsed.error.issues
      .flatMap((issue) => issueProblems(file, issue, position))
      .sort((a, b) => a.line - b.line || a.column - b.column),
  };
}

function syntaxProblem(file: string, error: YAMLError, lineCounter: LineCounter): FlowSourceProblem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { file, path: '', line, column: col, message: error.message.split('\n')[0] ?? 'not valid YAML' };
}

/** "is required" for a missing key instead of zod's "expected string, received undefined". */
function requiredMessage(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;
}

type Position = (path: readonly PropertyKey[]) => { line: number; column: number };

function issueProblems(file: string, issue: z.core.$ZodIssue, position: Position) {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({
      file,
      path: formatPath([...path, key]),
      ...position([...path, key]),
      message: `unknown key "${key}"`,
    }));
  return [{ file, path: formatPath(path), ...position(path), message: issue.message }];
}

/**
 * The line and column of a path: a mapping entry's key (the line that reads `bot: …`), a list
 * item's start; the deepest existing parent for a path into something missing.
 */
function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): { line: number; column: number } {
  let node = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    const step = stepInto(node, segment);
    if (!step) break;
    [node, offset] = [step.node, step.offset ?? offset];
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function stepInto(node: Node | null, segment: PropertyKey): { node: Node | null; offset?: number } | null {
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item ? { node: item, offset: item.range?.[0] } : null;
  }
  if (!isMap(node)) return null;
  const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
  return pair ? { node: pair.value as Node | null, offset: (pair.key as Node).range?.[0] } : null;
}
