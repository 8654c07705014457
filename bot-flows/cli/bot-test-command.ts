import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type FlowSourceProblem, wholeFileProblem } from '../declarative';
import { formatReport, runTranscriptFile, TranscriptInvalid, type TranscriptReport } from '../testing';
import { type CliIo, displayPath, exitCodes, problemLines } from './cli-io';

const transcriptFile = /\.transcript\.ya?ml$/;

export interface BotTestOptions {
  /** Print `{ passed, reports, problems }` as JSON instead of the report. */
  json: boolean;
}

/** What a run of several files found. */
interface TestRun {
  reports: TranscriptReport[];
  problems: FlowSourceProblem[];
  /** Files (or arguments) that could not run. */
  invalid: number;
}

/**
 * `vestnik bot test <files...>`: runs transcript files (a directory: every `*.transcript.yaml` in
 * it, not below). Resolves with the exit code: 0 all passed, 1 a conversation failed, 2 a script or
 * its flow is invalid or missing (the other files still run).
 */
export async function runBotTest(
  inputs: readonly string[],
  options: BotTestOptions,
  io: CliIo,
): Promise<number> {
  const run = await runFiles(inputs);
  const passed = run.invalid === 0 && run.reports.every((report) => report.passed);
  if (options.json) io.out(JSON.stringify({ passed, reports: run.reports, problems: run.problems }, null, 2));
  else printRun(run, io);
  if (run.invalid > 0) return exitCodes.invalid;
  return passed ? exitCodes.passed : exitCodes.failed;
}

async function runFiles(inputs: readonly string[]): Promise<TestRun> {
  const run: TestRun = { reports: [], problems: [], invalid: 0 };
  const invalid = (problems: readonly FlowSourceProblem[]) => {
    run.problems.push(...problems);
    run.invalid += 1;
  };
  for (const input of inputs) {
    const files = await filesOf(input);
    if (typeof files === 'string') invalid([wholeFileProblem(input, files)]);
    else for (const file of files) await runFile(file, run, invalid);
  }
  return run;
}

async function runFile(
  file: string,
  run: TestRun,
  invalid: (problems: readonly FlowSourceProblem[]) => void,
) {
  try {
    run.reports.push(await runTranscriptFile(file));
  } catch (error) {
    if (!(error instanceof TranscriptInvalid)) throw error;
    invalid(error.problems);
  }
}

function printRun(run: TestRun, io: CliIo): void {
  for (const report of run.reports)
    io.out(`${formatReport({ ...report, file: displayPath(report.file) }, { color: io.color })}\n`);
  if (run.problems.length > 0)
    io.err(['Invalid transcripts or flows:', ...problemLines(run.problems)].join('\n'));
  if (run.reports.length + run.invalid < 2) return;
  const failed = run.reports.filter((report) => !report.passed).length;
  const passed = run.reports.length - failed;
  io.out(`${passed} file(s) passed, ${failed} failed, ${run.invalid} invalid`);
}

/** The transcript files an argument names, or why it names none. */
async function filesOf(input: string): Promise<string[] | string> {
  const stats = await stat(input).catch(() => null);
  if (!stats) return 'no such file or directory';
  if (!stats.isDirectory()) return [input];
  const names = (await readdir(input)).filter((name) => transcriptFile.test(name)).sort();
  if (names.length === 0) return 'no *.transcript.yaml files in this directory';
  return names.map((name) => path.join(input, name));
}
