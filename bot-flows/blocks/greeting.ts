import type { BotMiddleware } from '../engine/bot-context';
import { type ButtonSpec, replyWith, toBotButtons } from './buttons';

export interface GreetingOptions {
  text: string;
  buttons?: readonly ButtonSpec[];
}

/**
 * Greets once per bot session (the first turn, marked by `ctx.state.$greeted`), then calls `next()`
 * so that a question in the first message is answered too: the customer gets the greeting and the
 * answer. A first message nobody answers gets only the greeting (it is not counted as a miss).
 * After a hand-off the session starts over, and a later bot session greets again.
 */
export function greeting(options: GreetingOptions): BotMiddleware {
  const buttons = toBotButtons(options.buttons);
  return async (ctx, next) => {
    if (ctx.state.$greeted !== true) {
      ctx.state.$greeted = true;
      replyWith(ctx, options.text, buttons);
    }
    await next();
  };
}
