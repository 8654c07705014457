import type { ConversationReport, StepReport, TranscriptReport } from './run-transcript';

export interface FormatOptions {
  /** ANSI colours (for a terminal). */
  color: boolean;
  /** Leave out the conversations that passed (what `expectTranscript` throws). */
  failuresOnly?: boolean;
}

type Style = 'green' | 'red' | 'dim' | 'bold';

const ansi: Readonly<Record<Style, readonly [number, number]>> = {
  green: [32, 39],
  red: [31, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** Wraps text in an ANSI style when colours are on. */
export function painter(color: boolean): (style: Style, text: string) => string {
  return (style, text) => (color ? `\u001b[${ansi[style][0]}m${text}\u001b[${ansi[style][1]}m` : text);
}

/**
 * A transcript report for people: ✓ or ✗ per conversation and, for a failure, the failed step's
 * `file:line`, what the customer did and the diff (`-` expected, `+` actual).
 */
export function formatReport(report: TranscriptReport, options: FormatOptions): string {
  const paint = painter(options.color);
  const shown = report.conversations.filter((conversation) => !options.failuresOnly || !conversation.passed);
  const passed = report.conversations.filter((conversation) => conversation.passed).length;
  const total = report.conversations.length;
  const summary = `${passed} of ${total} conversation${total === 1 ? '' : 's'} passed`;
  return [
    `${paint('bold', report.file)} ${paint('dim', `(flow ${report.flow.name})`)}`,
    ...shown.flatMap((conversation) => conversationLines(report.file, conversation, paint)),
    `  ${paint(report.passed ? 'green' : 'red', summary)}`,
  ].join('\n');
}

function conversationLines(
  file: string,
  conversation: ConversationReport,
  paint: ReturnType<typeof painter>,
): string[] {
  const channel = paint('dim', `[${conversation.channel}]`);
  if (conversation.passed) return [`  ${paint('green', '✓')} ${conversation.name} ${channel}`];
  const failed = conversation.steps.find((step) => !step.passed);
  const skipped =
    conversation.skipped > 0
      ? [`      ${paint('dim', `(${conversation.skipped} later steps not run)`)}`]
      : [];
  return [
    `  ${paint('red', '✗')} ${conversation.name} ${channel}`,
    ...(failed ? stepLines(file, failed, paint) : []),
    ...skipped,
  ];
}

function stepLines(file: string, step: StepReport, paint: ReturnType<typeof painter>): string[] {
  const diff = (step.diff ?? '').split('\n').map((line) => `      ${colourDiffLine(line, paint)}`);
  return [`      ${file}:${step.line} step ${step.index}, ${step.action}`, ...diff];
}

function colourDiffLine(line: string, paint: ReturnType<typeof painter>): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('- ')) return paint('green', line);
  if (trimmed.startsWith('+ ')) return paint('red', line);
  return line;
}
