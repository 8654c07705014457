import type { ChannelKind } from '../../adapters/contract';
import { type ChatSession, createChatSession } from './chat-session';
import { actualOf, checkStep, type Mismatch, type StepActual, type StepExpected } from './check-step';
import {
  loadTranscript,
  type Transcript,
  type TranscriptConversation,
  type TranscriptStep,
} from './load-transcript';

/** One step of a conversation: what the customer did, what the script expected and what happened. */
export interface StepReport {
  /** 1-based position in its conversation. */
  index: number;
  /** Its line in the transcript file. */
  line: number;
  passed: boolean;
  /** What the customer did: `user: "привет"` or `press: "Да"`. */
  action: string;
  expected: StepExpected;
  /** null when the step could not be taken (a press of a button not offered). */
  actual: StepActual | null;
  /** The failed expectations as diff lines (`- expected`, `+ actual`); null when the step passed. */
  diff: string | null;
}

export interface ConversationReport {
  name: string;
  line: number;
  channel: ChannelKind;
  passed: boolean;
  /** The steps run: a conversation stops at its first failed step. */
  steps: StepReport[];
  /** Steps not run after a failure. */
  skipped: number;
}

export interface TranscriptReport {
  file: string;
  /** The flow's name and file. */
  flow: { name: string; file: string };
  conversations: ConversationReport[];
  passed: boolean;
}

/** Runs a transcript file against its flow. Throws `TranscriptInvalid` when the script or flow is invalid. */
export async function runTranscriptFile(file: string): Promise<TranscriptReport> {
  return runTranscript(await loadTranscript(file));
}

/** Runs every conversation of a loaded transcript, each in a fresh in-memory session. */
export async function runTranscript(transcript: Transcript): Promise<TranscriptReport> {
  const conversations: ConversationReport[] = [];
  for (const conversation of transcript.conversations)
    conversations.push(await runConversation(transcript, conversation));
  return {
    file: transcript.file,
    flow: { name: transcript.flow.name, file: transcript.flowFile },
    conversations,
    passed: conversations.every((conversation) => conversation.passed),
  };
}

async function runConversation(
  transcript: Transcript,
  conversation: TranscriptConversation,
): Promise<ConversationReport> {
  const { name, line, channel, now, replyTo } = conversation;
  const session = createChatSession(transcript.flow, { channel, now, replyTo });
  const steps: StepReport[] = [];
  for (const step of conversation.steps) {
    const report = await runStep(session, step);
    steps.push(report);
    if (!report.passed) break;
  }
  const skipped = conversation.steps.length - steps.length;
  return { name, line, channel, passed: skipped === 0 && steps.every((step) => step.passed), steps, skipped };
}

async function runStep(session: ChatSession, step: TranscriptStep): Promise<StepReport> {
  const { bot, buttons, handoff, matched } = step;
  const expected: StepExpected = strip({ bot, buttons, handoff, matched });
  const base = { index: step.index, line: step.line, action: actionOf(step), expected };
  const unpressable = notOffered(session, step);
  if (unpressable) return { ...base, passed: false, actual: null, diff: diffText([unpressable]) };
  const turn =
    step.user !== undefined ? await session.send(step.user) : await session.press(step.press ?? '');
  const actual = actualOf(turn);
  const mismatches = checkStep(expected, actual);
  const diff = mismatches.length > 0 ? diffText(mismatches, actual.error) : null;
  return { ...base, passed: mismatches.length === 0, actual, diff };
}

/** A press of a label, payload or number the bot did not offer (while the bot owns the conversation). */
function notOffered(session: ChatSession, step: TranscriptStep): Mismatch | null {
  const target = step.press;
  if (target === undefined || typeof target === 'object' || session.state.owner !== 'bot') return null;
  if (session.buttonFor(target)) return null;
  const offered = session.state.offered.map((option, i) => `${i + 1}. ${option.label}`);
  const lines = [`- a button ${JSON.stringify(target)}`, `+ offered: ${offered.join(', ') || 'none'}`];
  return { key: 'press', lines };
}

function actionOf(step: TranscriptStep): string {
  if (step.user !== undefined) return `user: ${JSON.stringify(step.user)}`;
  return `press: ${JSON.stringify(step.press)}`;
}

function diffText(mismatches: readonly Mismatch[], error?: string | null): string {
  const blocks = mismatches.map((mismatch) =>
    [`${mismatch.key}:`, ...mismatch.lines.map((l) => `  ${l}`)].join('\n'),
  );
  return [...blocks, ...(error ? [`the flow threw ${error}`] : [])].join('\n');
}

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
