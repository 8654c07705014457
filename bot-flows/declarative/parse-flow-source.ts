/**
 * Flow file text → validated data, or every problem with its file, path, line and column. YAML and
 * JSON go through the same YAML parser (JSON is YAML), so both get line numbers the same way.
 */
import { closest, distance } from 'fastest-levenshtein';
import { isMap } from 'yaml';
import type { z } from 'zod';
import { type FlowFile, flowFileSchema } from './flow-file-schema';
import { FlowSourceInvalid, wholeFileProblem } from './flow-source-invalid';
import { formatPath } from './problem-path';
import {
  issueProblems,
  offsetPosition,
  parseYamlText,
  requiredMessage,
  type YamlText,
  yamlData,
} from './yaml-problems';

/** Flow files larger than this are refused before parsing. */
export const MAX_FLOW_SOURCE_CHARS = 512 * 1024;

/** Parses and validates a flow file's text. Throws FlowSourceInvalid listing every problem. */
export function parseFlowSource(source: string, file: string): FlowFile {
  if (source.length > MAX_FLOW_SOURCE_CHARS)
    throw new FlowSourceInvalid([wholeFileProblem(file, `larger than ${MAX_FLOW_SOURCE_CHARS} characters`)]);
  const text = mappingAtTop(parseYamlText(source, file));
  const allowedKeys = new Map<string, string[]>();
  const result = flowFileSchema.safeParse(yamlData(text), {
    error: (issue) => issueMessage(issue, allowedKeys),
  });
  if (result.success) return result.data;
  const unknownKey = (key: string, path: readonly PropertyKey[]) =>
    unknownKeyMessage(key, allowedKeys.get(formatPath(path)) ?? []);
  throw new FlowSourceInvalid(issueProblems(text, result.error.issues, unknownKey), { cause: result.error });
}

function mappingAtTop(text: YamlText): YamlText {
  if (isMap(text.doc.contents)) return text;
  throw new FlowSourceInvalid([
    {
      file: text.file,
      path: '',
      ...offsetPosition(text, 0),
      message: 'a flow file is a mapping (flow: …, faq: …)',
    },
  ]);
}

type RawIssue = z.core.$ZodRawIssue;

/** Shorter messages than zod's defaults; remembers the keys an object allows for "did you mean". */
function issueMessage(issue: RawIssue, allowedKeys: Map<string, string[]>): string | undefined {
  const required = requiredMessage(issue);
  if (required) return required;
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

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return `unknown key "${key}"`;
  const near = closest(key, [...allowed]);
  if (distance(key, near) <= Math.max(1, Math.floor(key.length / 3)))
    return `unknown key "${key}" (did you mean "${near}"?)`;
  return `unknown key "${key}" (allowed: ${allowed.join(', ')})`;
}
