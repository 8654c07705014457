import type { SandboxPlatformFactory } from '../../sandbox-platform';
import { answerError, createBotApiRouter } from './api-routes';
import { botApiErrors } from './bot-api-errors';
import { BotRegistry } from './bot-registry';
import type { TelegramSimulatorDeps } from './simulator-deps';
import { UpdateDispatcher } from './update-dispatcher';
import { TelegramUserActions } from './user-actions';

/**
 * The Telegram Bot API simulator, mounted at `/telegram`: point telegraf's `apiRoot` at
 * `<sandbox>/telegram/`. Bots come from `POST /_sandbox/accounts {platform: 'telegram'}`; a virtual
 * user's Telegram account id is their private chat id with every bot.
 */
export const telegramSimulator: SandboxPlatformFactory = (context) => {
  const deps: TelegramSimulatorDeps = {
    context,
    bots: new BotRegistry(context),
    updates: new UpdateDispatcher(context),
  };
  const actions = new TelegramUserActions(deps);
  return {
    name: 'telegram',
    mountPath: '/telegram',
    router: createBotApiRouter(deps),
    rateLimitAnswer: (res, retryAfterSeconds) =>
      answerError(res, botApiErrors.tooManyRequests(retryAfterSeconds)),
    createAccount: async (body) => {
      const bot = deps.bots.create(body);
      return {
        token: bot.token,
        botId: bot.id,
        username: bot.username,
        apiRoot: `${context.baseUrl()}/telegram`,
      };
    },
    userMessage: (user, input) => actions.userMessage(user, input),
    pressButton: (user, input) => actions.pressButton(user, input),
    setBlocked: (user, blocked, to) => actions.setBlocked(user, blocked, to),
    info: () => ({
      apiRoot: `${context.baseUrl()}/telegram`,
      bots: deps.bots
        .all()
        .map((bot) => ({ id: bot.id, username: bot.username, webhook: bot.webhook?.url ?? null })),
    }),
  };
};
