import type { z } from 'zod';
import type { Principal } from '../../src/auth/principal';
import type { Scope } from '../../src/auth/scopes';

/**
 * One operator action (reply, assign, resolve, tag…), shared by its HTTP route and its socket.io
 * handler so both validate with the same zod schema and run the same code. A socket client sends
 * `socket.emit('action', name, input, ack)` and gets `{ ok: true, result }` or
 * `{ ok: false, problem }` (the same problem+json body HTTP would answer).
 */
export interface InboxAction<S extends z.ZodType = z.ZodType, R = unknown> {
  /** Socket name, e.g. `conversation.assign`. */
  name: string;
  scopes: readonly Scope[];
  input: S;
  run(principal: Principal, input: z.output<S>): Promise<R>;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of actions; each is checked where it is defined.
export type AnyInboxAction = InboxAction<any, any>;

export function defineAction<S extends z.ZodType, R>(action: InboxAction<S, R>): InboxAction<S, R> {
  return action;
}
