import type { ChannelKind } from '../../adapters/contract';
import {
  type BotFlow,
  type BotMatchNote,
  type BotMessage,
  type BotReply,
  type BotReplyContext,
  type BotSession,
  type BotTurnResult,
  emptySession,
  type HandoffReason,
  numberedHint,
  type RenderedReply,
  renderReply,
  runTurn,
  type TurnOutcome,
} from '../engine';
import { buttonCapabilities } from './channel-buttons';

/** A button that carries a choice back to the flow. */
export interface OfferedButton {
  label: string;
  payload: string;
}

/** The notification (or mailing) a conversation's first message answers. */
export interface ChatReplyTo extends BotReplyContext {
  /** The notification's own buttons: `press` can press them on the first turn. */
  buttons?: readonly OfferedButton[];
}

export interface ChatSessionOptions {
  /** The channel type whose buttons the replies are rendered for. */
  channel: ChannelKind;
  /** The clock of every turn (business hours); omitted or null: the real time. */
  now?: Date | null;
  replyTo?: ChatReplyTo | null;
}

/** One bot reply as the customer sees it on the session's channel. */
export interface ShownReply {
  /** The text the flow wrote (without numbered options). */
  text: string;
  rendered: RenderedReply;
  /** The options as the channel shows them: button labels, or the numbered lines written into the text. */
  options: string[];
}

/** What one customer message got. */
export interface ChatTurn {
  /** `operators`: the conversation had been handed off before this message, so the bot said nothing. */
  outcome: TurnOutcome | 'operators';
  /** The message as the flow saw it (a typed "2" arrives as the second button's press). */
  message: BotMessage;
  replies: ShownReply[];
  handoff: { reason: HandoffReason } | null;
  match: BotMatchNote | null;
  /** What the flow threw (outcome `error`). */
  error?: unknown;
}

export interface ChatState {
  flow: string;
  channel: ChannelKind;
  /** The fixed clock, or null for the real time. */
  now: Date | null;
  /** `bot` while the bot answers; `operators` once it handed off (the bot then stays silent). */
  owner: 'bot' | 'operators';
  handoff: { reason: HandoffReason } | null;
  /** Customer messages in this conversation. */
  messages: number;
  /** The engine's session: `ctx.state`, consecutive misses, the last reply's buttons. */
  session: BotSession;
  /** What `press` can press now: the last reply's buttons (before the first message, the notification's). */
  offered: readonly OfferedButton[];
}

/** A button by its label, its payload or its 1-based number; or any payload, offered or not. */
export type PressTarget = string | number | { payload: string; label?: string };

/** Thrown by `press` for a number that names no offered button. */
export class ButtonNotOffered extends Error {
  override readonly name = 'ButtonNotOffered';
  readonly code = 'button-not-offered';
}

/**
 * A conversation with a flow held in memory, turn by turn as the production runner holds it: the
 * engine's session carried between turns, the first message answering `replyTo`, and after a
 * hand-off the operators own the conversation and the bot says nothing until `reset`. Shared by
 * `vestnik bot chat` and the transcript runner. Not promised: persistence, concurrency (send one
 * message at a time), the production runner's channel and flow selection.
 */
export interface ChatSession {
  send(text: string): Promise<ChatTurn>;
  /**
   * Presses an offered button (label, payload or number). An unknown string is sent as a raw
   * payload (a button of an older message); an unknown number throws `ButtonNotOffered`.
   */
  press(target: PressTarget): Promise<ChatTurn>;
  /** The offered button a target names, or null. */
  buttonFor(target: PressTarget): OfferedButton | null;
  /** Starts a new conversation (same flow, channel and clock). */
  reset(): void;
  /** Swaps the flow (hot reload), keeping the conversation. */
  setFlow(flow: BotFlow): void;
  setChannel(channel: ChannelKind): void;
  setNow(now: Date | null): void;
  readonly state: Readonly<ChatState>;
}

interface Conversation {
  id: number;
  /** Set once the flow hands off: the operators own the conversation from then on. */
  handoff: ChatState['handoff'];
  messages: number;
  session: BotSession | null;
}

/** Starts a conversation with a flow (see `ChatSession`). */
export function createChatSession(flow: BotFlow, options: ChatSessionOptions): ChatSession {
  return new InMemoryChatSession(flow, options);
}

class InMemoryChatSession implements ChatSession {
  private flow: BotFlow;
  private channel: ChannelKind;
  private now: Date | null;
  private readonly replyTo: ChatReplyTo | null;
  private conversation = newConversation(1);

  constructor(flow: BotFlow, options: ChatSessionOptions) {
    this.flow = flow;
    this.channel = options.channel;
    this.now = options.now ?? null;
    this.replyTo = options.replyTo ?? null;
  }

  send(text: string): Promise<ChatTurn> {
    return this.turn({ kind: 'text', text, payload: null });
  }

  press(target: PressTarget): Promise<ChatTurn> {
    if (typeof target === 'object')
      return this.turn({ kind: 'button', text: target.label ?? target.payload, payload: target.payload });
    const button = this.buttonFor(target);
    if (button) return this.turn({ kind: 'button', text: button.label, payload: button.payload });
    if (typeof target === 'number')
      return Promise.reject(
        new ButtonNotOffered(`no button number ${target} is offered (${describe(this.buttons())})`),
      );
    return this.turn({ kind: 'button', text: target, payload: target });
  }

  buttonFor(target: PressTarget): OfferedButton | null {
    return typeof target === 'object' ? null : findButton(this.buttons(), target);
  }

  reset(): void {
    this.conversation = newConversation(this.conversation.id + 1);
  }

  setFlow(flow: BotFlow): void {
    this.flow = flow;
  }

  setChannel(channel: ChannelKind): void {
    this.channel = channel;
  }

  setNow(now: Date | null): void {
    this.now = now;
  }

  get state(): ChatState {
    const { handoff, messages, session } = this.conversation;
    return {
      flow: this.flow.name,
      channel: this.channel,
      now: this.now,
      owner: handoff ? 'operators' : 'bot',
      handoff,
      messages,
      session: session ?? emptySession(),
      offered: this.buttons(),
    };
  }

  /** The last reply's buttons; before the first message, the notification's. */
  private buttons(): readonly OfferedButton[] {
    const { messages, session } = this.conversation;
    return messages === 0 ? (this.replyTo?.buttons ?? []) : (session?.options ?? []);
  }

  private async turn(message: Omit<BotMessage, 'replyTo'>): Promise<ChatTurn> {
    const conversation = this.conversation;
    const replyTo = conversation.messages === 0 && this.replyTo ? replyContext(this.replyTo) : null;
    conversation.messages += 1;
    if (conversation.handoff) return silentTurn({ ...message, replyTo });
    const result = await runTurn(this.flow, {
      conversation: {
        id: `chat-${conversation.id}`,
        channelId: `chat-${this.channel}`,
        channelType: this.channel,
      },
      contact: { id: 'customer', name: null },
      message: { ...message, replyTo },
      session: conversation.session,
      now: this.now ?? new Date(),
    });
    conversation.session = result.session;
    if (result.handoff) conversation.handoff = result.handoff;
    return toChatTurn(result, this.channel);
  }
}

function toChatTurn(result: BotTurnResult, channel: ChannelKind): ChatTurn {
  const { outcome, message, handoff, match } = result;
  const replies = result.replies.map((reply) => showReply(reply, channel));
  return {
    outcome,
    message,
    replies,
    handoff,
    match,
    ...(outcome === 'error' ? { error: result.error } : {}),
  };
}

function newConversation(id: number): Conversation {
  return { id, handoff: null, messages: 0, session: null };
}

function replyContext({ kind, name, text }: ChatReplyTo): BotReplyContext {
  return { kind, name, text };
}

function silentTurn(message: BotMessage): ChatTurn {
  return { outcome: 'operators', message, replies: [], handoff: null, match: null };
}

function findButton(buttons: readonly OfferedButton[], target: string | number): OfferedButton | null {
  if (typeof target === 'number') return buttons[target - 1] ?? null;
  const wanted = target.trim().toLowerCase();
  const byLabel = buttons.find((button) => button.label.trim().toLowerCase() === wanted);
  return byLabel ?? buttons.find((button) => button.payload === target) ?? null;
}

function describe(buttons: readonly OfferedButton[]): string {
  return buttons.length === 0
    ? 'none offered'
    : buttons.map((button, index) => `${index + 1}. ${button.label}`).join(', ');
}

/** Renders a reply for a channel and lists its options as the customer sees them. */
export function showReply(reply: BotReply, channel: ChannelKind): ShownReply {
  const rendered = renderReply(reply, buttonCapabilities(channel));
  const options = rendered.numbered
    ? rendered.text
        .slice(reply.text.length)
        .split('\n')
        .filter((line) => line.trim() !== '' && line !== numberedHint)
    : rendered.buttons.map((button) => button.label);
  return { text: reply.text, rendered, options };
}
