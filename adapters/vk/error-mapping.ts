import { type PermanentReason, permanent, rateLimited, retryable, type SendResult } from '../contract';

type Failure = Extract<SendResult, { ok: false }>;

/**
 * Delays for VK's rate-limit errors. VK's error bodies carry no retry delay, so these are our
 * documented choices:
 * - 6 "Too many requests per second": the limit is per second (20/s for community tokens), so
 *   one second clears it;
 * - 9 "Flood control": VK throttles repeated identical sends for about a minute;
 * - 29 "Rate limit reached": a method's daily quota is used up; try again in an hour.
 */
export const vkRetryDelayMs = { tooManyPerSecond: 1_000, floodControl: 60_000, quota: 3_600_000 } as const;

const permanentCodes: Readonly<Record<number, PermanentReason>> = {
  5: 'auth', // User authorization failed (token revoked or wrong)
  27: 'auth', // Group authorization failed
  15: 'not-allowed', // Access denied
  100: 'content-invalid', // One of the parameters specified was missing or invalid
  900: 'blocked', // Can't send messages for users from blacklist
  901: 'not-allowed', // Can't send messages for users without permission
  902: 'privacy', // Can't send messages to this user due to their privacy settings
  911: 'content-invalid', // Keyboard format is invalid
  912: 'not-allowed', // This is a chat bot feature, change this status in settings
  914: 'content-too-long', // Message is too long
  924: 'rejected', // Can't delete this message for everybody
  936: 'recipient-invalid', // Contact not found
};

const rateLimitedCodes: Readonly<Record<number, number>> = {
  6: vkRetryDelayMs.tooManyPerSecond,
  9: vkRetryDelayMs.floodControl,
  29: vkRetryDelayMs.quota,
};

/** Codes VK documents as transient: 1 "Unknown error occurred", 10 "Internal server error". */
const retryableCodes: ReadonlySet<number> = new Set([1, 10]);

/**
 * Maps a VK API error (`{error: {error_code, error_msg}}`) to a typed failure through the tables
 * above (codes and messages from vk_errors.json). Unknown codes are permanent `rejected`: VK
 * answers them the same way on every retry.
 */
export function mapVkError(code: number, message: string): Failure {
  const detail = `VK error ${code}: ${message}`;
  const delay = rateLimitedCodes[code];
  if (delay !== undefined) return rateLimited(delay, code);
  if (retryableCodes.has(code)) return retryable(detail, code);
  return permanent(permanentCodes[code] ?? 'rejected', detail, code);
}
