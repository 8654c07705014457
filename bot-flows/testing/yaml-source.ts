import type { z } from 'zod';
import { FlowSourceInvalid, type FlowSourceProblem } from '../declarative';
import {
  issueProblems,
  parseYamlText,
  positionOf,
  requiredMessage,
  type TextPosition,
  yamlData,
} from '../declarative/yaml-problems';

/** A parsed YAML document that can say where a path is. */
export interface YamlSource<T> {
  value: T;
  /** The position of the node at `path`, or of its nearest existing parent. */
  position(path: readonly PropertyKey[]): TextPosition;
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
  try {
    const yaml = parseYamlText(text, file);
    const parsed = schema.safeParse(yamlData(yaml), { error: requiredMessage });
    if (!parsed.success) return { ok: false, problems: issueProblems(yaml, parsed.error.issues) };
    const position = (path: readonly PropertyKey[]) => positionOf(yaml, path);
    return { ok: true, source: { value: parsed.data, position } };
  } catch (error) {
    if (error instanceof FlowSourceInvalid) return { ok: false, problems: error.problems };
    throw error;
  }
}
