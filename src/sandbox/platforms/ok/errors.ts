import type { Response } from 'express';

/**
 * The OK error codes the simulator answers with (apiok.ru "Коды ошибок"). OK answers errors with
 * HTTP 200 and `{"error_code": N, "error_msg": "NAME : description", "error_data": null}`.
 */
export const okErrorNames = {
  3: 'METHOD',
  8: 'FLOOD_BLOCKED',
  100: 'PARAM',
  102: 'PARAM_SESSION_EXPIRED',
  458: 'PRIVACY_RESTRICTION',
  705: 'CHAT_NOT_FOUND',
} as const;

export type OkErrorCode = keyof typeof okErrorNames;

/** An OK error the route handlers raise; `answerOkError` turns it into OK's wire shape. */
export class OkSimulatedError extends Error {
  constructor(
    readonly code: OkErrorCode,
    readonly detail: string,
  ) {
    super(`${okErrorNames[code]} : ${detail}`);
  }
}

/** Sends OK's error body for `code` (HTTP 200, as OK does). */
export function answerOkError(res: Response, code: OkErrorCode, detail: string): void {
  res
    .status(200)
    .json({ error_code: code, error_msg: `${okErrorNames[code]} : ${detail}`, error_data: null });
}
