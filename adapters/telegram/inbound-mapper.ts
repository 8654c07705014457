import type { z } from 'zod';
import type { NormalizedEvent, PlatformUser } from '../contract';
import { attachmentsOf } from './inbound-attachments';
import { encodeMessageRef } from './message-id';
import {
  callbackQuerySchema,
  chatMemberUpdatedSchema,
  messageSchema,
  type TelegramCallbackQuery,
  type TelegramChat,
  type TelegramChatMemberUpdated,
  type TelegramMessage,
  type TelegramUser,
  updateSchema,
} from './update-schema';

/** What one webhook update became: events (maybe none), an update type we do not handle, or garbage. */
export type UpdateMapping =
  | { kind: 'events'; events: NormalizedEvent[] }
  | { kind: 'unsupported'; updateType: string }
  | { kind: 'malformed'; detail: string };

/** Prefix of a button-press `eventKey`: callback query ids are unique, so the key is the id. */
export const callbackEventPrefix = 'cbq:';

interface UpdateMapper<S extends z.ZodType> {
  schema: S;
  map(value: z.output<S>): NormalizedEvent[];
}

const at = (unixSeconds: number): Date => new Date(unixSeconds * 1000);

function platformUser(user: TelegramUser | undefined, chat: TelegramChat): PlatformUser {
  const id = user?.id ?? chat.id;
  const parts = user ? [user.first_name, user.last_name] : [chat.first_name ?? chat.title, chat.last_name];
  const name = parts.filter(Boolean).join(' ');
  return { externalUserId: String(id), ...(name ? { name } : {}) };
}

/**
 * Event keys are built from what identifies the event itself rather than `update_id`: the Bot API
 * picks the next `update_id` at random after a week without updates
 * (https://core.telegram.org/bots/api#update), so an old key could come back. Message ids only grow
 * within a chat and callback query ids are unique, so these keys never repeat and stay stable
 * across Telegram's redeliveries.
 */
function inboundMessage(message: TelegramMessage, eventKey: string): NormalizedEvent[] {
  const replyTo = message.reply_to_message?.message_id;
  return [
    {
      type: 'inbound-message',
      eventKey,
      externalMessageId: encodeMessageRef(message.chat.id, message.message_id),
      from: platformUser(message.from, message.chat),
      conversationId: String(message.chat.id),
      text: message.text ?? message.caption ?? '',
      attachments: attachmentsOf(message),
      ...(replyTo === undefined ? {} : { replyToExternalId: encodeMessageRef(message.chat.id, replyTo) }),
      occurredAt: at(message.date),
    },
  ];
}

function buttonPress(query: TelegramCallbackQuery): NormalizedEvent[] {
  // Game buttons carry `game_short_name` instead of data; we send none, so nothing to report.
  if (query.data === undefined) return [];
  const chat = query.message?.chat;
  return [
    {
      type: 'button-press',
      eventKey: `${callbackEventPrefix}${query.id}`,
      from: platformUser(query.from, chat ?? { id: query.from.id, type: 'private' }),
      conversationId: String(chat?.id ?? query.from.id),
      payload: query.data,
      answerToken: query.id,
      ...(query.message
        ? { externalMessageId: encodeMessageRef(query.message.chat.id, query.message.message_id) }
        : {}),
      // A callback query carries no time of its own; the press is happening now.
      occurredAt: new Date(),
    },
  ];
}

/** In a private chat `kicked` means the user blocked the bot; back to `member` means unblocked or restarted. */
const membershipEvents: Readonly<Record<string, 'opt-in' | 'opt-out'>> = {
  kicked: 'opt-out',
  member: 'opt-in',
};

function membershipChange(update: TelegramChatMemberUpdated): NormalizedEvent[] {
  const type = membershipEvents[update.new_chat_member.status];
  if (
    update.chat.type !== 'private' ||
    !type ||
    update.old_chat_member.status === update.new_chat_member.status
  )
    return [];
  return [
    {
      type,
      eventKey: `member:${update.chat.id}:${update.date}:${update.new_chat_member.status}`,
      from: platformUser(update.from, update.chat),
      occurredAt: at(update.date),
    },
  ];
}

const mapper = <S extends z.ZodType>(
  schema: S,
  map: (value: z.output<S>) => NormalizedEvent[],
): UpdateMapper<S> => ({
  schema,
  map,
});

/** The update types `connect()` asks Telegram for (setWebhook `allowed_updates`); anything else is unsupported. */
export const subscribedUpdateTypes = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
] as const;
type SubscribedUpdateType = (typeof subscribedUpdateTypes)[number];

/** Each subscribed update type with its payload schema and mapping. */
const updateMappers: Readonly<Record<SubscribedUpdateType, UpdateMapper<z.ZodType>>> = {
  message: mapper(messageSchema, (message) =>
    inboundMessage(message, `msg:${message.chat.id}:${message.message_id}`),
  ),
  // An edit arrives as a new inbound message (its own event key) carrying the original message id.
  edited_message: mapper(messageSchema, (message) =>
    inboundMessage(
      message,
      `edit:${message.chat.id}:${message.message_id}:${message.edit_date ?? message.date}`,
    ),
  ),
  callback_query: mapper(callbackQuerySchema, buttonPress),
  my_chat_member: mapper(chatMemberUpdatedSchema, membershipChange),
};

const isSubscribed = (updateType: string): updateType is SubscribedUpdateType =>
  Object.hasOwn(updateMappers, updateType);

/** Maps one parsed webhook body (a Bot API `Update`) to normalized events. Never throws. */
export function mapUpdate(body: unknown): UpdateMapping {
  const update = updateSchema.safeParse(body);
  if (!update.success) return { kind: 'malformed', detail: 'not a Telegram Update (no numeric update_id)' };
  const updateType = Object.keys(update.data).find((key) => key !== 'update_id') ?? '(none)';
  if (!isSubscribed(updateType)) return { kind: 'unsupported', updateType };
  const entry = updateMappers[updateType];
  const payload = entry.schema.safeParse(update.data[updateType]);
  if (!payload.success)
    return { kind: 'malformed', detail: `${updateType}: ${payload.error.issues[0]?.message ?? 'invalid'}` };
  return { kind: 'events', events: entry.map(payload.data) };
}
