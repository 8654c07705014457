import type { Response } from 'express';

/** VK API error codes the simulator answers with, messages as in vk_errors.json. */
export const vkErrorMessages = {
  1: 'Unknown error occurred',
  3: 'Unknown method passed',
  5: 'User authorization failed',
  6: 'Too many requests per second',
  8: 'Invalid request',
  15: 'Access denied',
  100: 'One of the parameters specified was missing or invalid',
  900: "Can't send messages for users from blacklist",
  901: "Can't send messages for users without permission",
  911: 'Keyboard format is invalid',
  912: 'This is a chat bot feature, change this status in settings',
  914: 'Message is too long',
  924: "Can't delete this message for everybody",
  2000: 'Servers number limit is reached',
} as const;
export type VkErrorCode = keyof typeof vkErrorMessages;

/** A VK API error a method handler raises; the router answers it as `{error: {...}}` with HTTP 200. */
export class VkApiError extends Error {
  constructor(
    readonly code: VkErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${vkErrorMessages[code]}: ${detail}` : vkErrorMessages[code]);
  }
}

/** VK echoes the call's parameters (without the token) in `request_params`. */
export function requestParams(
  method: string,
  params: Record<string, string>,
): Array<{ key: string; value: string }> {
  const echoed = Object.entries(params).filter(([key]) => key !== 'access_token');
  return [
    { key: 'method', value: method },
    { key: 'oauth', value: '1' },
    ...echoed.map(([key, value]) => ({ key, value })),
  ];
}

/** Sends VK's error shape: HTTP 200, `{error: {error_code, error_msg, request_params}}`. */
export function sendVkError(
  res: Response,
  error: VkApiError,
  method: string,
  params: Record<string, string>,
): void {
  res.status(200).json({
    error: {
      error_code: error.code,
      error_msg: error.message,
      request_params: requestParams(method, params),
    },
  });
}
