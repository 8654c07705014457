import type { SandboxContext } from '../../sandbox-platform';
import type { PlatformAccount, VirtualUser } from '../../virtual-users';
import type { BotChat, BotFile, SimulatedBot, StoredMessage } from './bot-registry';
import type { WireChat, WireMessage, WireMessageEntity, WirePhotoSize, WireUser } from './wire-types';

export type FileKind = 'photo' | 'document' | 'voice' | 'video';

/** file_id prefixes and file_path folders by kind, as real Bot API ids and paths look. */
const fileKinds: Readonly<Record<FileKind, { idPrefix: string; folder: string; extension: string }>> = {
  photo: { idPrefix: 'AgACAgIAAxkBAA', folder: 'photos', extension: 'jpg' },
  document: { idPrefix: 'BQACAgIAAxkBAA', folder: 'documents', extension: 'dat' },
  voice: { idPrefix: 'AwACAgIAAxkBAA', folder: 'voice', extension: 'oga' },
  video: { idPrefix: 'BAACAgIAAxkBAA', folder: 'videos', extension: 'mp4' },
};

export const unixTime = (context: SandboxContext): number => Math.floor(context.clock.nowMs() / 1000);

export function botUser(bot: SimulatedBot): WireUser {
  return { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username };
}

function nameParts(user: VirtualUser): { first_name: string; last_name?: string } {
  const [first = user.name, ...rest] = user.name.trim().split(/\s+/);
  return rest.length > 0 ? { first_name: first, last_name: rest.join(' ') } : { first_name: first };
}

export function wireUser(user: VirtualUser, account: PlatformAccount): WireUser {
  return { id: Number(account.id), is_bot: false, ...nameParts(user), language_code: 'ru' };
}

export function privateChat(user: VirtualUser, account: PlatformAccount): WireChat {
  return { id: Number(account.id), ...nameParts(user), type: 'private' };
}

/** Telegram marks a leading `/command` as a bot_command entity. */
export function commandEntities(text: string): { entities?: WireMessageEntity[] } {
  const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
  return command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {};
}

/** Takes the chat's next message id and keeps the message for replies, buttons and deletion. */
export function storeMessage(
  context: SandboxContext,
  chat: BotChat,
  build: (messageId: number) => WireMessage,
  fromBot: boolean,
): StoredMessage {
  const message = build(chat.nextMessageId);
  chat.nextMessageId += 1;
  const stored = { message, fromBot, sentAtMs: context.clock.nowMs(), deleted: false };
  chat.messages.set(message.message_id, stored);
  return stored;
}

/** `<chat_id>:<message_id>`: how the sandbox lists Telegram messages (ids repeat across chats). */
export const listedMessageId = (chatId: number, messageId: number): string => `${chatId}:${messageId}`;

/** Keeps bytes in the sandbox file store and gives this bot a file_id and file_path for them. */
export function registerFile(
  context: SandboxContext,
  bot: SimulatedBot,
  kind: FileKind,
  file: { data: Buffer; mimeType: string; fileName: string; image?: { width: number; height: number } },
): BotFile {
  const spec = fileKinds[kind];
  const stored = context.files.put(file.data, file.mimeType, file.fileName);
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(file.fileName)?.[1] ?? spec.extension;
  const registered: BotFile = {
    fileId: `${spec.idPrefix}${context.random.token(56)}`,
    fileUniqueId: `AQAD${context.random.token(12)}`,
    storedId: stored.id,
    size: file.data.length,
    filePath: `${spec.folder}/file_${bot.files.size}.${extension}`,
    ...(file.image ? { image: file.image } : {}),
  };
  bot.files.set(registered.fileId, registered);
  return registered;
}

/** A PhotoSize for a registered photo. The sandbox keeps one size (the original); Telegram adds thumbnails. */
export function photoSize(file: BotFile): WirePhotoSize {
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.size,
    width: file.image?.width ?? 0,
    height: file.image?.height ?? 0,
  };
}
