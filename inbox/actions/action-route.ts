import { z } from 'zod';
import type { ErrorCode } from '../../src/errors/catalog';
import { type AnyRoute, defineRoute } from '../../src/http/route-definition';
import type { InboxAction } from './inbox-action';

/** An action on one conversation: its input is an object with `conversationId` and the rest. */
export type ConversationAction<R> = InboxAction<
  z.ZodObject<{ conversationId: z.ZodString } & z.ZodRawShape>,
  R
>;

export interface ActionRouteSpec {
  method: 'post' | 'put';
  /** Under /v1, with `:id` for the conversation, e.g. `/conversations/:id/resolve`. */
  path: string;
  summary: string;
  response: { status: 200 | 201 | 202; schema: z.ZodType; description: string };
  errors?: readonly ErrorCode[];
  idempotent?: true;
}

/**
 * The HTTP route of a conversation action: `:id` is the conversation, the body is the action's
 * input without `conversationId`, validated by the same zod schema the socket handler uses, and
 * the handler runs the same `run`.
 */
export function actionRoute<R>(action: ConversationAction<R>, spec: ActionRouteSpec): AnyRoute {
  const body = action.input.omit({ conversationId: true });
  // An action without fields takes no body, so a bare POST (no Content-Type) is fine.
  const hasFields = Object.keys(body.shape).length > 0;
  return defineRoute({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tag: 'inbox',
    access: action.scopes,
    params: z.object({ id: z.string() }),
    ...(hasFields ? { body } : {}),
    response: spec.response,
    errors: ['resource.not_found', ...(spec.errors ?? [])],
    ...(spec.idempotent ? { idempotent: true as const } : {}),
    handle: async ({ principal, params, body: input }) =>
      (await action.run(principal, { ...(input as object), conversationId: params.id } as never)) as never,
  });
}
