import type { SandboxContext } from '../../sandbox-platform';
import type { PlatformAccount, ReceivedMessage, VirtualUser } from '../../virtual-users';
import { botApiErrors } from './bot-api-errors';
import { type BotChat, chatOf, type SimulatedBot, type StoredMessage } from './bot-registry';
import type { RequestParams } from './request-params';
import { listedMessageId } from './wire-builders';
import type { WireMessage } from './wire-types';

/** "no more than 30 messages per second" per bot (https://core.telegram.org/bots/faq). */
export const messagesPerSecond = 30;
/** deleteMessage: "A message can only be deleted if it was sent less than 48 hours ago." */
export const deleteWindowMs = 48 * 3_600_000;

export interface Recipient {
  user: VirtualUser;
  account: PlatformAccount;
  chat: BotChat;
}

/**
 * Who `chat_id` names, and whether the bot may write to them: the user must have started the bot
 * (403 "bot can't initiate conversation") and not blocked it (403 "bot was blocked by the user").
 */
export function recipientOf(context: SandboxContext, bot: SimulatedBot, params: RequestParams): Recipient {
  const chatId = params.string('chat_id');
  if (chatId === undefined || chatId === '') throw botApiErrors.chatIdEmpty();
  if (!/^\d+$/.test(chatId)) throw botApiErrors.chatNotFound();
  const user = context.users.byAccount('telegram', chatId);
  const account = user?.accounts.telegram;
  if (!user || !account) throw botApiErrors.chatNotFound();
  if (account.blocked) throw botApiErrors.blocked();
  if (!account.reachable) throw botApiErrors.cantInitiate();
  return { user, account, chat: chatOf(bot, Number(account.id)) };
}

/** Counts one message against the bot's per-second budget; over it, 429 with `retry_after`. */
export function throttle(context: SandboxContext, bot: SimulatedBot): void {
  const now = context.clock.nowMs();
  bot.recentSends = bot.recentSends.filter((at) => now - at < 1000);
  if (bot.recentSends.length >= messagesPerSecond) throw botApiErrors.tooManyRequests(1);
  bot.recentSends.push(now);
}

/** The message being replied to, or none when `allow_sending_without_reply` and it is gone. */
export function replyMessage(
  chat: BotChat,
  target: { messageId: number; allowMissing: boolean } | null,
): StoredMessage | undefined {
  if (!target) return undefined;
  const stored = chat.messages.get(target.messageId);
  if (stored && !stored.deleted) return stored;
  if (target.allowMissing) return undefined;
  throw botApiErrors.replyNotFound();
}

/** A replied-to message is embedded one level deep only. */
export function withoutNestedReply(message: WireMessage): WireMessage {
  const { reply_to_message: _nested, ...rest } = message;
  return rest;
}

/** Records what the user now sees in their chat with the bot. */
export function deliverToUser(
  context: SandboxContext,
  recipient: Recipient,
  bot: SimulatedBot,
  message: WireMessage,
  extra: { buttons: ReceivedMessage['buttons']; images: ReceivedMessage['images'] },
): void {
  const replyTo = message.reply_to_message;
  context.users.deliver(recipient.user, {
    platform: 'telegram',
    messageId: listedMessageId(recipient.chat.id, message.message_id),
    from: String(bot.id),
    via: 'chat',
    text: message.text ?? message.caption ?? '',
    buttons: extra.buttons,
    images: extra.images,
    ...(replyTo ? { replyTo: listedMessageId(recipient.chat.id, replyTo.message_id) } : {}),
  });
}

/** The user's record of a message this bot sent (ids repeat across bots, so `from` is checked too). */
export function receivedRecord(
  user: VirtualUser,
  bot: SimulatedBot,
  chatId: number,
  messageId: number,
): ReceivedMessage | undefined {
  const listed = listedMessageId(chatId, messageId);
  return user.received.find(
    (message) =>
      message.platform === 'telegram' && message.from === String(bot.id) && message.messageId === listed,
  );
}
