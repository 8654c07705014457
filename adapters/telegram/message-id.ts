/**
 * Telegram `message_id` is unique only within one chat, so Vestnik's `externalMessageId` for
 * Telegram is `<chat_id>:<message_id>` (e.g. `1111111:1365`): unique per channel (one bot), and
 * enough to delete or quote the message later.
 */
export interface TelegramMessageRef {
  chatId: string;
  messageId: number;
}

const refPattern = /^(-?\d+):(\d+)$/;

export function encodeMessageRef(chatId: number | string, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** Parses `<chat_id>:<message_id>`; `null` for anything else. */
export function decodeMessageRef(externalMessageId: string): TelegramMessageRef | null {
  const match = refPattern.exec(externalMessageId);
  if (!match?.[1] || !match[2]) return null;
  const messageId = Number(match[2]);
  return Number.isSafeInteger(messageId) ? { chatId: match[1], messageId } : null;
}
