import type { BotContext, BotMiddleware } from './bot-context';

/** Thrown when a middleware calls `next()` twice: the later steps would run twice. */
export class NextCalledTwiceError extends Error {
  override readonly name = 'NextCalledTwiceError';
}

/**
 * Composes middleware in order: each runs with a `next` that runs the rest. A step that does not
 * call `next` ends the chain. Errors propagate to the caller (the turn's error boundary).
 */
export function composeMiddleware(steps: readonly BotMiddleware[]): (ctx: BotContext) => Promise<void> {
  return (ctx) => {
    const run = async (index: number): Promise<void> => {
      const step = steps[index];
      if (!step) return;
      let called = false;
      await step(ctx, async () => {
        if (called) throw new NextCalledTwiceError(`middleware #${index} called next() twice`);
        called = true;
        await run(index + 1);
      });
    };
    return run(0);
  };
}
