import type { Request, Response } from 'express';
import { type BotApiError, botApiErrors } from './bot-api-errors';
import { maxDownloadBytes } from './message-rules';
import type { MethodHandler, TelegramSimulatorDeps } from './simulator-deps';

/** getFile: "It is guaranteed that the link will be valid for at least 1 hour." */
const fileLinkLifetimeMs = 3_600_000;

/** getFile (https://core.telegram.org/bots/api#getfile). */
export function fileMethods(deps: TelegramSimulatorDeps): Record<string, MethodHandler> {
  return {
    getfile: ({ bot, params }) => {
      const file = bot.files.get(params.string('file_id') ?? '');
      if (!file) throw botApiErrors.fileIdInvalid();
      if (file.size > maxDownloadBytes) throw botApiErrors.fileTooBig();
      bot.fileLinks.set(file.filePath, {
        fileId: file.fileId,
        expiresAtMs: deps.context.clock.nowMs() + fileLinkLifetimeMs,
      });
      return {
        result: {
          file_id: file.fileId,
          file_unique_id: file.fileUniqueId,
          file_size: file.size,
          file_path: file.filePath,
        },
      };
    },
  };
}

export type ErrorAnswer = (res: Response, error: BotApiError) => void;

/**
 * `GET /file/bot<token>/<file_path>`: the bytes of a file getFile linked, while the link lives.
 * Unknown token: 401; unknown or expired path: 404 (the Bot API's own envelope).
 */
export function serveFile(deps: TelegramSimulatorDeps, answerError: ErrorAnswer) {
  return (req: Request, res: Response): void => {
    const botPath = String(req.params.botPath ?? '');
    const bot = botPath.startsWith('bot') ? deps.bots.byToken(botPath.slice(3)) : undefined;
    if (!bot) {
      answerError(res, botApiErrors.unauthorized());
      return;
    }
    const segments = req.params.filePath;
    const filePath = Array.isArray(segments) ? segments.join('/') : String(segments ?? '');
    const link = bot.fileLinks.get(filePath);
    const file =
      link && link.expiresAtMs > deps.context.clock.nowMs() ? bot.files.get(link.fileId) : undefined;
    const stored = file && deps.context.files.get(file.storedId);
    if (!stored) {
      answerError(res, botApiErrors.notFound());
      return;
    }
    res.type(stored.mimeType).send(stored.data);
  };
}
