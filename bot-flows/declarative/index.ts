/**
 * The declarative flow form: a YAML or JSON file validated with precise errors (file, path, line,
 * column) and compiled to the same `BotFlow` as `defineFlow`. See bot-flows/README.md, "Flow files".
 */
export { compileFlowFile } from './compile-flow-file';
export { compileFlowSource } from './compile-flow-source';
export { type FlowFile, flowFileSchema } from './flow-file-schema';
export {
  causeMessage,
  FlowSourceInvalid,
  type FlowSourceProblem,
  formatProblem,
  wholeFileProblem,
} from './flow-source-invalid';
export { loadFlowFile } from './load-flow-file';
export { MAX_FLOW_SOURCE_CHARS, parseFlowSource } from './parse-flow-source';
