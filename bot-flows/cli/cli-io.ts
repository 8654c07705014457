import path from 'node:path';
import { type FlowSourceProblem, formatProblem } from '../declarative';

/** Where a bot command writes: stdout for results, stderr for problems and notes. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** ANSI colours on stdout. */
  color: boolean;
}

/** The process's own streams; colours when stdout is a terminal and NO_COLOR is unset. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
}

/** Problems as `file:line:col path: message`, files relative to the working directory. */
export function problemLines(problems: readonly FlowSourceProblem[]): string[] {
  return problems.map((problem) => formatProblem({ ...problem, file: displayPath(problem.file) }));
}

export function displayPath(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** Exit codes of the bot commands. */
export const exitCodes = { passed: 0, failed: 1, invalid: 2 } as const;
