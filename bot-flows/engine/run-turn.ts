import { containsPhrase, normalizeText } from '../matching';
import type {
  BotButton,
  BotContact,
  BotContext,
  BotConversation,
  BotMatchNote,
  BotMessage,
  BotReply,
} from './bot-context';
import { composeMiddleware } from './compose-middleware';
import type { BotFlow } from './define-flow';

/** The payload of the built-in "call an operator" button. */
export const handoffPayload = 'bot:handoff';
/** The most state a conversation keeps between turns, serialized. */
export const maxStateBytes = 16 * 1024;

/** What the bot remembers of a conversation between turns (stored by the runtime). */
export interface BotSession {
  /** `ctx.state`. */
  data: Record<string, unknown>;
  /** Consecutive turns not understood. */
  misses: number;
  /** The buttons of the last reply, so a typed number or label picks one on any channel. */
  options: { label: string; payload: string }[];
}

export interface BotTurnInput {
  conversation: BotConversation;
  contact: BotContact;
  message: BotMessage;
  /** null on the bot's first turn in this conversation. */
  session: BotSession | null;
  now: Date;
}

export type HandoffReason = 'keyword' | 'button' | 'misses' | 'flow-error' | (string & {});
export type TurnOutcome = 'answered' | 'missed' | 'handoff' | 'error';

export interface BotTurnResult {
  replies: BotReply[];
  handoff: { reason: HandoffReason } | null;
  session: BotSession;
  outcome: TurnOutcome;
  /** What the FAQ matched or missed (null when no FAQ step ran). */
  match: BotMatchNote | null;
  /** The message as the flow saw it (a typed "2" becomes the second button's press). */
  message: BotMessage;
  /** What the flow threw (outcome `error`); the runtime logs it with the conversation's context. */
  error?: unknown;
}

export const emptySession = (): BotSession => ({ data: {}, misses: 0, options: [] });

/**
 * Runs one customer turn through a flow, behind an error boundary. Before the flow: a hand-off
 * word or the hand-off button hands off at once, and a typed number or label picks an offered
 * button. After it: a turn nobody answered is a miss (the fallback reply, or a hand-off after
 * `afterMisses` in a row). A hand-off adds the flow's hand-off message, and outside business
 * hours the hours. A flow that throws (or keeps too much state) sends nothing it prepared: the
 * conversation is handed off (`flow-error`) and its state is left as it was.
 */
export async function runTurn(flow: BotFlow, input: BotTurnInput): Promise<BotTurnResult> {
  const before = input.session ?? emptySession();
  const message = pickOffered(input.message, before.options);
  const turn = newTurn(flow, input, message, structuredClone(before.data));
  try {
    const early = earlyHandoff(flow, message);
    if (early) turn.ctx.handoff(early);
    else await composeMiddleware(flow.middleware)(turn.ctx);
    checkStateSize(turn.ctx.state);
  } catch (error) {
    return failed(flow, input, before, message, turn.match, error);
  }
  return finish(flow, input, before, message, turn);
}

interface Turn {
  ctx: BotContext;
  replies: BotReply[];
  handoff: { reason: HandoffReason } | null;
  match: BotMatchNote | null;
}

function newTurn(
  flow: BotFlow,
  input: BotTurnInput,
  message: BotMessage,
  state: Record<string, unknown>,
): Turn {
  const turn: Turn = { ctx: undefined as unknown as BotContext, replies: [], handoff: null, match: null };
  turn.ctx = {
    flow: { name: flow.name },
    conversation: Object.freeze({ ...input.conversation }),
    contact: Object.freeze({ ...input.contact }),
    message: Object.freeze({ ...message }),
    now: new Date(input.now),
    state,
    reply(text, options) {
      turn.replies.push(options?.buttons?.length ? { text, buttons: [...options.buttons] } : { text });
    },
    handoff(reason = 'flow') {
      turn.handoff ??= { reason };
    },
    noteMatch(note) {
      turn.match = { ...note };
    },
    get handled() {
      return turn.replies.length > 0 || turn.handoff !== null;
    },
  };
  return turn;
}

function earlyHandoff(flow: BotFlow, message: BotMessage): HandoffReason | null {
  if (message.payload === handoffPayload) return 'button';
  if (message.kind === 'text' && containsPhrase(message.text, flow.handoff.keywords)) return 'keyword';
  return null;
}

/** A typed "2", "2." or a button's label picks that offered button. */
function pickOffered(message: BotMessage, options: BotSession['options']): BotMessage {
  if (message.kind !== 'text' || options.length === 0) return message;
  const typed = message.text.trim().replace(/[.)]$/, '');
  const index = /^\d{1,2}$/.test(typed) ? Number(typed) - 1 : -1;
  const normalized = normalizeText(message.text);
  const option = options[index] ?? options.find((candidate) => normalizeText(candidate.label) === normalized);
  return option ? { ...message, kind: 'button', text: option.label, payload: option.payload } : message;
}

function checkStateSize(state: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(state) ?? '');
  if (bytes > maxStateBytes)
    throw new RangeError(`ctx.state is ${bytes} bytes serialized; at most ${maxStateBytes}`);
}

function finish(
  flow: BotFlow,
  input: BotTurnInput,
  before: BotSession,
  message: BotMessage,
  turn: Turn,
): BotTurnResult {
  const missed = !turn.ctx.handled;
  const misses = missed ? before.misses + 1 : 0;
  if (missed && misses >= flow.handoff.afterMisses) turn.handoff = { reason: 'misses' };
  else if (missed) turn.replies.push(withHandoffButton(flow, flow.fallback(turn.ctx)));
  const replies = turn.handoff ? [...turn.replies, ...handoffReplies(flow, input.now)] : turn.replies;
  const outcome: TurnOutcome = turn.handoff ? 'handoff' : missed ? 'missed' : 'answered';
  const session: BotSession = turn.handoff
    ? emptySession()
    : { data: turn.ctx.state, misses, options: offeredOptions(replies, before.options) };
  return { replies, handoff: turn.handoff, session, outcome, match: turn.match, message };
}

function failed(
  flow: BotFlow,
  input: BotTurnInput,
  before: BotSession,
  message: BotMessage,
  match: BotMatchNote | null,
  error: unknown,
): BotTurnResult {
  return {
    replies: handoffReplies(flow, input.now),
    handoff: { reason: 'flow-error' },
    session: before,
    outcome: 'error',
    match,
    message,
    error,
  };
}

function handoffReplies(flow: BotFlow, now: Date): BotReply[] {
  const replies: BotReply[] = [{ text: flow.handoff.message }];
  if (flow.businessHours && !flow.businessHours.isOpen(now))
    replies.push({ text: flow.businessHours.closedMessage(now) });
  return replies;
}

function withHandoffButton(flow: BotFlow, reply: BotReply): BotReply {
  const label = flow.handoff.buttonLabel;
  if (!label) return reply;
  return { ...reply, buttons: [...(reply.buttons ?? []), { label, payload: handoffPayload }] };
}

/** The buttons of the last reply with payload buttons; kept when the bot said nothing new. */
function offeredOptions(
  replies: readonly BotReply[],
  previous: BotSession['options'],
): BotSession['options'] {
  if (replies.length === 0) return previous;
  const buttons = replies.at(-1)?.buttons ?? [];
  return buttons.filter((button): button is Extract<BotButton, { payload: string }> => 'payload' in button);
}
