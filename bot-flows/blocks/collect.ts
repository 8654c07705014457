import type { BotContext, BotMiddleware } from '../engine/bot-context';
import { FlowBlockError } from './block-error';
import { type ButtonSpec, pressedGoto, replyWith, toBotButtons } from './buttons';
import { type CollectType, collectTypes, patternValidator, validateAnswer } from './collect-types';
import { fillTemplate } from './fill-template';

/** What happens once the value is valid: a reply (`{{value}}` is the value), buttons, a hand-off. */
export interface CollectDone {
  reply: string;
  buttons?: readonly ButtonSpec[];
  /** Hand the conversation to an operator after the reply (they see the value in the transcript). */
  handoff?: boolean;
}

export interface CollectOptions {
  /** Unique in the flow; the value is kept in `ctx.state[id]`; a `goto:<id>` button starts it. */
  id: string;
  /** The question ("Введите номер заказа (6 цифр)"). */
  ask: string;
  /** A built-in kind of value (default `text`); ignored when `pattern` is given. */
  type?: CollectType;
  /** The whole answer must match it (`^\d{6}$`). */
  pattern?: RegExp | string;
  /** The reply to an invalid answer ("Номер заказа — 6 цифр"). */
  error: string;
  /** Invalid answers before the conversation goes to an operator (default 3). */
  maxTries?: number;
  /**
   * What follows a valid answer (`then:` in flow files; named `done` here so that the options
   * object is never a thenable).
   */
  done: CollectDone | ((ctx: BotContext, value: string) => unknown);
}

/** The collect middleware, with a way to start it from another block (a FAQ entry, a reaction). */
export interface CollectBlock extends BotMiddleware {
  readonly id: string;
  start(ctx: BotContext): void;
}

/** The pending question, kept in `ctx.state.$collect` between turns. */
interface PendingCollect {
  id: string;
  tries: number;
}

export const defaultMaxTries = 3;

/**
 * Asks for a value and waits for the next message. A valid answer is stored in `ctx.state[id]` and
 * answered with `done`; an invalid one is answered with `error`, and after `maxTries` invalid
 * answers the conversation is handed off. A button press while waiting drops the question and is
 * passed on (the customer chose something else). Hand-off words still hand off: the engine checks
 * them before the flow runs.
 */
export function collect(options: CollectOptions): CollectBlock {
  const validator = validatorOf(options);
  const maxTries = options.maxTries ?? defaultMaxTries;
  if (!Number.isInteger(maxTries) || maxTries < 1)
    throw new FlowBlockError('collect', `"${options.id}": maxTries must be a whole number ≥ 1`);
  const start = (ctx: BotContext) => {
    ctx.state.$collect = { id: options.id, tries: 0 } satisfies PendingCollect;
    ctx.reply(options.ask);
  };
  const middleware: BotMiddleware = async (ctx, next) => {
    if (pressedGoto(ctx, options.id)) return start(ctx);
    const pending = pendingCollect(ctx.state);
    if (pending?.id !== options.id) return next();
    if (ctx.message.kind === 'button') {
      delete ctx.state.$collect;
      return next();
    }
    const value = validateAnswer(validator, ctx.message.text);
    if (value === null) return retry(ctx, options, pending.tries + 1, maxTries);
    delete ctx.state.$collect;
    ctx.state[options.id] = value;
    await answer(ctx, options.done, value);
  };
  return Object.assign(middleware, { id: options.id, start });
}

function validatorOf(options: CollectOptions) {
  if (options.pattern === undefined) return collectTypes[options.type ?? 'text'];
  try {
    const pattern = typeof options.pattern === 'string' ? new RegExp(options.pattern, 'u') : options.pattern;
    return patternValidator(pattern);
  } catch (cause) {
    throw new FlowBlockError('collect', `"${options.id}": the pattern does not compile`, { cause });
  }
}

function pendingCollect(state: Record<string, unknown>): PendingCollect | null {
  const pending = state.$collect as Partial<PendingCollect> | undefined;
  return typeof pending?.id === 'string' && typeof pending.tries === 'number'
    ? { id: pending.id, tries: pending.tries }
    : null;
}

function retry(ctx: BotContext, options: CollectOptions, tries: number, maxTries: number): void {
  if (tries >= maxTries) {
    delete ctx.state.$collect;
    ctx.handoff('collect-failed');
    return;
  }
  ctx.state.$collect = { id: options.id, tries } satisfies PendingCollect;
  ctx.reply(options.error);
}

async function answer(ctx: BotContext, done: CollectOptions['done'], value: string): Promise<void> {
  if (typeof done === 'function') {
    await done(ctx, value);
    return;
  }
  replyWith(ctx, fillTemplate(done.reply, { value }), toBotButtons(done.buttons));
  if (done.handoff) ctx.handoff('collect');
}
