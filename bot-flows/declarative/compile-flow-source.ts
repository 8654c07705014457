import type { BotFlow } from '../engine/define-flow';
import { compileFlowFile } from './compile-flow-file';
import { FlowSourceInvalid } from './flow-source-invalid';
import { parseFlowSource } from './parse-flow-source';

/**
 * Parses, validates and compiles a flow file's text (YAML or JSON: JSON is read as YAML, so both
 * report lines the same way). Throws FlowSourceInvalid listing every problem with its place.
 */
export function compileFlowSource(source: string, options: { fileName: string }): BotFlow {
  const file = parseFlowSource(source, options.fileName);
  try {
    return compileFlowFile(file);
  } catch (cause) {
    // Validation catches what the blocks refuse; this keeps the promised error type if one slips through.
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new FlowSourceInvalid([{ file: options.fileName, path: '', line: null, column: null, message }], {
      cause,
    });
  }
}
