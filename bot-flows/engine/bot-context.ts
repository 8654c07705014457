/**
 * What a flow sees: our normalized view of one customer turn, never database documents or
 * platform payloads. Flows are channel-agnostic; the runtime renders their replies for the channel.
 */

/** A button the bot offers. `payload` comes back as the customer's next message (`kind: 'button'`). */
export type BotButton = { label: string; payload: string } | { label: string; url: string };

/** One bot message: text with optional buttons (rendered per channel, numbered where there are none). */
export interface BotReply {
  text: string;
  buttons?: readonly BotButton[];
}

/** What the customer's message answers, when it answers a notification or a mailing. */
export interface BotReplyContext {
  kind: 'notification' | 'mailing' | 'message';
  /** The template (notification) or mailing name. */
  name: string | null;
  text: string;
}

export interface BotMessage {
  /** `button`: a pressed button, or a typed number / label picking one of the offered buttons. */
  kind: 'text' | 'button';
  /** The typed text, or the pressed button's label (its payload when the label is unknown). */
  text: string;
  /** The pressed button's payload (ours, or a notification template's), else null. */
  payload: string | null;
  replyTo: BotReplyContext | null;
}

export interface BotConversation {
  id: string;
  channelId: string;
  /** Channel type: `vk`, `telegram`, `viber`, `whatsapp`, `ok`, `sms`, `email`… */
  channelType: string;
}

export interface BotContact {
  id: string;
  name: string | null;
}

/** A FAQ entry the turn matched, or the best miss, for the report of unanswered questions. */
export interface BotMatchNote {
  entryId: string | null;
  confidence: number;
  /** The customer's text after normalization (misses are grouped by it). */
  normalized: string;
}

/**
 * The context of one turn. `reply` and `handoff` record what to do; the runtime stores and sends
 * it after the flow returns, so a flow that throws sends nothing half-done.
 */
export interface BotContext {
  readonly flow: { readonly name: string };
  readonly conversation: Readonly<BotConversation>;
  readonly contact: Readonly<BotContact>;
  readonly message: Readonly<BotMessage>;
  /** The turn's time (business hours, greetings); fixed for the whole turn. */
  readonly now: Date;
  /**
   * Per-conversation state, kept between turns while the bot owns the conversation (JSON values
   * only; at most 16 KiB serialized). Keys starting with `$` are reserved for built-in blocks.
   */
  readonly state: Record<string, unknown>;
  reply(text: string, options?: { buttons?: readonly BotButton[] }): void;
  /** Hands the conversation to the operators' queue after this turn. */
  handoff(reason?: string): void;
  /** Records what the FAQ matched (or missed) for the report; does not count as an answer. */
  noteMatch(note: BotMatchNote): void;
  /** Whether something in this turn already replied or handed off. */
  readonly handled: boolean;
}

/** A flow step: do something and/or call `next()` to let the later steps try (grammY-style). */
export type BotMiddleware = (ctx: BotContext, next: () => Promise<void>) => unknown;
