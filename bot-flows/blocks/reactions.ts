import type { BotContext, BotMiddleware } from '../engine/bot-context';
import { createPhraseDetector, normalizeText, type PhraseOptions } from '../matching';
import { FlowBlockError } from './block-error';
import { type ButtonSpec, replyWith, toBotButtons } from './buttons';

/** Runs `handler` for a button press carrying one of the payloads; any other message goes on to `next()`. */
export function onPayload(payload: string | readonly string[], handler: BotMiddleware): BotMiddleware {
  const payloads = new Set(typeof payload === 'string' ? [payload] : payload);
  return (ctx, next) =>
    ctx.message.payload !== null && payloads.has(ctx.message.payload) ? handler(ctx, next) : next();
}

/** A reaction to a button press or a short typed answer ("да", "нет, это не я"). */
export interface ReactionOptions {
  /** Button payloads it reacts to: ours, or a notification template's (`confirm`, `deny`). */
  payload?: string | readonly string[];
  /** Whole-message answers, compared after normalization (case, ё, punctuation): `да`, `это не я`. */
  texts?: readonly string[];
  /** Words or phrases anywhere in a typed message, typos tolerated (use for longer phrases). */
  keywords?: readonly string[];
  /** Only when the message answers this notification template. */
  replyTo?: string;
  reply?: string;
  buttons?: readonly ButtonSpec[];
  /** Hand the conversation to an operator after the reply; a string names the reason. */
  handoff?: boolean | string;
  /** Runs after the reply (show a menu, start a collect). */
  run?: (ctx: BotContext) => unknown;
  /** How keywords are matched (languages, synonyms). */
  matching?: PhraseOptions;
}

/**
 * Answers a payload or a typed answer with a reply, an action and/or a hand-off, and ends the turn.
 * For a bank's "Это вы?" notification: `reaction({ payload: 'deny', texts: ['нет'], reply: '…', handoff: true })`.
 */
export function reaction(options: ReactionOptions): BotMiddleware {
  const triggers = triggersOf(options);
  const buttons = toBotButtons(options.buttons);
  return async (ctx, next) => {
    if (!triggers(ctx)) return next();
    if (options.reply !== undefined) replyWith(ctx, options.reply, buttons);
    await options.run?.(ctx);
    if (options.handoff) ctx.handoff(typeof options.handoff === 'string' ? options.handoff : 'reaction');
  };
}

function triggersOf(options: ReactionOptions): (ctx: BotContext) => boolean {
  const payloads = new Set(typeof options.payload === 'string' ? [options.payload] : (options.payload ?? []));
  const texts = new Set((options.texts ?? []).map(normalizeText));
  const keywords = createPhraseDetector(options.keywords ?? [], options.matching);
  if (payloads.size + texts.size + (options.keywords?.length ?? 0) === 0)
    throw new FlowBlockError('reaction', 'give at least one of payload, texts, keywords');
  const typed = (text: string) => texts.has(normalizeText(text)) || keywords(text);
  return (ctx) => {
    const { message } = ctx;
    if (options.replyTo !== undefined && message.replyTo?.name !== options.replyTo) return false;
    if (message.payload !== null) return payloads.has(message.payload);
    return message.kind === 'text' && typed(message.text);
  };
}
