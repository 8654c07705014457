import type { ChatTurn } from './chat-session';
import type { StepSource, TextExpectation } from './transcript-schema';

/** What a step's turn did, as the checks compare it (JSON-safe for `--json`). */
export interface StepActual {
  /** The texts of the bot's replies, as the flow wrote them. */
  bot: string[];
  /** The options of the last reply as the channel shows them (labels, or numbered lines). */
  buttons: string[];
  /** The hand-off reason, or null. */
  handoff: string | null;
  /** The FAQ entry the turn matched, or null. */
  matched: string | null;
  /** The matcher's confidence (best candidate on a miss), when a FAQ step ran. */
  confidence: number | null;
  /** `operators`: the conversation had been handed off, the bot said nothing. */
  outcome: ChatTurn['outcome'];
  /** What the flow threw, when it threw. */
  error: string | null;
}

/** What a step expects: the keys the script set. */
export type StepExpected = Pick<StepSource, 'bot' | 'buttons' | 'handoff' | 'matched'>;

/** One expectation the turn did not meet, as diff lines. */
export interface Mismatch {
  key: keyof StepExpected | 'press';
  lines: string[];
}

export function actualOf(turn: ChatTurn): StepActual {
  const last = turn.replies.at(-1);
  return {
    bot: turn.replies.map((reply) => reply.text),
    buttons: last?.options ?? [],
    handoff: turn.handoff?.reason ?? null,
    matched: turn.match?.entryId ?? null,
    confidence: turn.match ? Math.round(turn.match.confidence * 100) / 100 : null,
    outcome: turn.outcome,
    error: turn.error === undefined ? null : errorText(turn.error),
  };
}

/** The mismatches of a turn against a step; an omitted `handoff` expects none. */
export function checkStep(step: StepExpected, actual: StepActual): Mismatch[] {
  const mismatches = [
    step.bot === undefined ? null : checkBot(step.bot, actual.bot),
    step.buttons === undefined ? null : checkButtons(step.buttons, actual.buttons),
    checkHandoff(step.handoff ?? false, actual.handoff),
    step.matched === undefined ? null : checkMatched(step.matched, actual),
  ];
  return mismatches.filter((mismatch): mismatch is Mismatch => mismatch !== null);
}

function textMatches(expected: TextExpectation, actual: string): boolean {
  if (typeof expected === 'string') return expected === actual;
  if ('contains' in expected) return actual.includes(expected.contains);
  return new RegExp(expected.matches, 'u').test(actual);
}

function describeText(expected: TextExpectation): string {
  if (typeof expected === 'string') return JSON.stringify(expected);
  if ('contains' in expected) return `contains ${JSON.stringify(expected.contains)}`;
  return `matches /${expected.matches}/`;
}

function checkBot(expected: TextExpectation | TextExpectation[], actual: string[]): Mismatch | null {
  const wanted = Array.isArray(expected) ? expected : [expected];
  const same =
    wanted.length === actual.length && wanted.every((text, i) => textMatches(text, actual[i] ?? ''));
  return same ? null : { key: 'bot', lines: botDiff(wanted, actual) };
}

/** Reply by reply: a matching one as context, else `- expected` and `+ actual`. */
function botDiff(wanted: readonly TextExpectation[], actual: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < Math.max(wanted.length, actual.length); i++) {
    const [want, got] = [wanted[i], actual[i]];
    if (want !== undefined && got !== undefined && textMatches(want, got))
      lines.push(`  ${JSON.stringify(got)}`);
    else {
      if (want !== undefined) lines.push(`- ${describeText(want)}`);
      if (got !== undefined) lines.push(`+ ${JSON.stringify(got)}`);
    }
  }
  return actual.length === 0 ? [...lines, '+ (no reply)'] : lines;
}

function checkButtons(expected: string[], actual: string[]): Mismatch | null {
  const same = expected.length === actual.length && expected.every((label, i) => label === actual[i]);
  return same ? null : { key: 'buttons', lines: [`- ${list(expected)}`, `+ ${list(actual)}`] };
}

function checkHandoff(expected: boolean | string, actual: string | null): Mismatch | null {
  const same = typeof expected === 'boolean' ? expected === (actual !== null) : expected === actual;
  if (same) return null;
  const want = expected === true ? 'a hand-off' : expected === false ? 'no hand-off' : expected;
  return { key: 'handoff', lines: [`- ${want}`, `+ ${actual ?? 'no hand-off'}`] };
}

function checkMatched(expected: string | null, actual: StepActual): Mismatch | null {
  if (expected === actual.matched) return null;
  const confidence = actual.confidence === null ? '' : ` (confidence ${actual.confidence})`;
  return {
    key: 'matched',
    lines: [`- ${expected ?? 'no match'}`, `+ ${actual.matched ?? 'no match'}${confidence}`],
  };
}

function list(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
