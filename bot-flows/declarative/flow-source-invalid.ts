/** One thing wrong with a flow file, where an author can find it. */
export interface FlowSourceProblem {
  file: string;
  /** Where in the file: `faq[2].answer`; empty for the file as a whole. */
  path: string;
  /** 1-based; null when the problem has no place in the text (file not found). */
  line: number | null;
  column: number | null;
  message: string;
}

/** Thrown for a flow file that cannot be used; `problems` lists every problem found, in file order. */
export class FlowSourceInvalid extends Error {
  override readonly name = 'FlowSourceInvalid';
  readonly code = 'bot_flow.invalid';

  constructor(
    readonly problems: FlowSourceProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatProblem).join('\n'), options);
  }
}

/** `shop.yaml:12:7 faq[2].answer: must not be empty` (place and path left out when unknown). */
export function formatProblem(problem: FlowSourceProblem): string {
  const place = problem.line === null ? problem.file : `${problem.file}:${problem.line}:${problem.column}`;
  return `${place} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/** A problem with no place in the text: the file as a whole (not found, unreadable, too large). */
export function wholeFileProblem(file: string, message: string): FlowSourceProblem {
  return { file, path: '', line: null, column: null, message };
}

/** A problem with the file as a whole (not found, unreadable, wrong extension). */
export function fileProblem(file: string, message: string, cause?: unknown): FlowSourceInvalid {
  return new FlowSourceInvalid([wholeFileProblem(file, message)], { cause });
}

/** The error's message (errors from another realm, such as a test sandbox, are not `instanceof Error`). */
export function causeMessage(cause: unknown): string {
  const message = (cause as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(cause);
}
