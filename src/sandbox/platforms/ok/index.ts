import type { Response } from 'express';
import { z } from 'zod';
import { parseControlInput, type SandboxPlatformFactory } from '../../sandbox-platform';
import { answerOkError } from './errors';
import { createOkRouter } from './routes';
import { OkSimulatorState } from './state';
import { OkUserActions } from './webhooks';

const accountInput = z.object({ name: z.string().min(1).max(100).default('Sandbox group') }).strict();

/**
 * The OK Bot API (Graph API `/graph/me/...`) as the sandbox serves it at `/ok`: groups with tokens,
 * webhook subscriptions, group-to-user dialogs, sends with inline keyboards, OK's error bodies.
 */
export const okSimulator: SandboxPlatformFactory = (context) => {
  const state = new OkSimulatorState(context);
  const actions = new OkUserActions(context, state);
  return {
    name: 'ok',
    mountPath: '/ok',
    router: createOkRouter(context, state),
    rateLimitAnswer: (res: Response) => answerOkError(res, 8, 'Flood detected, too many requests'),
    createAccount: async (body) => {
      const group = state.createGroup(parseControlInput(accountInput, body).name);
      return { accessToken: group.accessToken, groupId: group.id };
    },
    userMessage: (user, input) => actions.userMessage(user, input),
    pressButton: (user, input) => actions.pressButton(user, input),
    info: () => ({ apiBaseUrl: `${context.baseUrl()}/ok` }),
  };
};
