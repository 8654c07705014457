/**
 * Thrown when a block is built with options it cannot run with (two FAQ entries with one id, a
 * pattern that does not compile, an unknown time zone). The declarative form reports these before
 * building, with file and line; this is the programmer's (`defineFlow`) side.
 */
export class FlowBlockError extends Error {
  override readonly name = 'FlowBlockError';
  readonly code = 'bot_flow.block_invalid';

  constructor(
    /** The block: `faq`, `menu`, `collect`, `businessHours`… */
    readonly block: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${block}: ${message}`, options);
  }
}
