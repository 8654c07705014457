import express, { type Request, type Response, type Router } from 'express';
import { BotApiError, botApiErrors } from './bot-api-errors';
import { fileMethods, serveFile } from './file-methods';
import { messageMethods } from './message-methods';
import { readParams } from './request-params';
import type { MethodHandler, TelegramSimulatorDeps } from './simulator-deps';
import { webhookMethods } from './webhook-methods';
import type { WireAnswer } from './wire-types';

/** Answers with the Bot API error envelope and the matching HTTP status. */
export function answerError(res: Response, error: BotApiError): void {
  const body: WireAnswer = {
    ok: false,
    error_code: error.code,
    description: error.description,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  };
  res.status(error.code).json(body);
}

/**
 * The Bot API under the simulator's mount: `/bot<token>/<method>` (GET or POST; "All methods in the
 * Bot API are case-insensitive") and `/file/bot<token>/<file_path>`.
 */
export function createBotApiRouter(deps: TelegramSimulatorDeps): Router {
  const methods: Readonly<Record<string, MethodHandler>> = {
    ...webhookMethods(deps),
    ...messageMethods(deps),
    ...fileMethods(deps),
  };
  const router = express.Router();
  router.get('/file/:botPath/*filePath', serveFile(deps, answerError));
  router.all('/:botPath/:method', async (req: Request, res: Response) => {
    try {
      const botPath = String(req.params.botPath);
      if (!botPath.startsWith('bot')) throw botApiErrors.notFound();
      const bot = deps.bots.byToken(botPath.slice(3));
      if (!bot) throw botApiErrors.unauthorized();
      const method = String(req.params.method).toLowerCase();
      if (!Object.hasOwn(methods, method)) throw botApiErrors.notFound();
      const handler = methods[method] as MethodHandler;
      const answer = await handler({ bot, params: await readParams(req) });
      const body: WireAnswer = {
        ok: true,
        result: answer.result,
        ...(answer.description ? { description: answer.description } : {}),
      };
      res.json(body);
    } catch (error) {
      if (error instanceof BotApiError) return answerError(res, error);
      deps.context.logger.error({ err: error }, 'sandbox telegram: method failed');
      answerError(res, new BotApiError(500, 'Internal Server Error'));
    }
  });
  router.use((_req: Request, res: Response) => answerError(res, botApiErrors.notFound()));
  return router;
}
