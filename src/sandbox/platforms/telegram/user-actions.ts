import { createHash } from 'node:crypto';
import { type FileContent, sampleFiles } from '../../file-store';
import {
  type ButtonPressInput,
  pressedButton,
  SandboxInputError,
  type UserMessageInput,
  userFile,
} from '../../sandbox-platform';
import type { PlatformAccount, VirtualUser } from '../../virtual-users';
import { type BotChat, chatOf, type SimulatedBot } from './bot-registry';
import { imageInfo } from './image-info';
import { maxCaptionLength } from './message-rules';
import { withoutNestedReply } from './outbound-delivery';
import type { TelegramSimulatorDeps } from './simulator-deps';
import {
  botUser,
  commandEntities,
  type FileKind,
  listedMessageId,
  photoSize,
  privateChat,
  registerFile,
  storeMessage,
  unixTime,
  wireUser,
} from './wire-builders';
import type { WireMessage } from './wire-types';

type Attachment = NonNullable<UserMessageInput['attachment']>;
type MediaFields = Pick<WireMessage, 'photo' | 'document' | 'voice' | 'video'>;

/** Defaults for what a user sends without giving bytes, name or type. */
const attachmentDefaults: Readonly<Record<FileKind, FileContent>> = {
  photo: sampleFiles.photo,
  document: { ...sampleFiles.document, data: Buffer.from('Документ от пользователя\n') },
  voice: { fileName: 'voice.oga', mimeType: 'audio/ogg', data: Buffer.from('OggS-sandbox-voice') },
  video: { ...sampleFiles.video, data: Buffer.from('sandbox-video') },
};

function telegramAccount(user: VirtualUser): PlatformAccount {
  const account = user.accounts.telegram;
  if (!account) throw new SandboxInputError(`user ${user.id} has no Telegram account`, 422);
  return account;
}

/** `<chat_id>:<message_id>` as listed, or a bare message id. */
function findMessage(chat: BotChat, reference: string): WireMessage {
  const messageId = Number(reference.includes(':') ? reference.split(':').at(-1) : reference);
  const stored = chat.messages.get(messageId);
  if (!stored || stored.deleted) throw new SandboxInputError(`no message ${reference} in this chat`, 404);
  return stored.message;
}

/** What virtual users do in Telegram: write to a bot (text, files, replies) and press its buttons. */
export class TelegramUserActions {
  constructor(private readonly deps: TelegramSimulatorDeps) {}

  async userMessage(user: VirtualUser, input: UserMessageInput): Promise<{ messageId: string }> {
    const account = telegramAccount(user);
    const bot = this.deps.bots.pick(input.to);
    const chat = chatOf(bot, Number(account.id));
    const reply = input.replyTo ? withoutNestedReply(findMessage(chat, input.replyTo)) : undefined;
    if (input.attachment && [...input.text].length > maxCaptionLength)
      throw new SandboxInputError(`a caption holds at most ${maxCaptionLength} characters`, 422);
    const media = input.attachment ? this.media(bot, input.attachment) : {};
    await this.unblockIfBlocked(bot, user, account);
    account.reachable = true;
    account.lastUserMessageAt = this.deps.context.clock.now();
    const content = input.attachment
      ? { ...media, ...(input.text ? { caption: input.text } : {}) }
      : { text: input.text, ...commandEntities(input.text) };
    const stored = storeMessage(
      this.deps.context,
      chat,
      (messageId) => ({
        message_id: messageId,
        from: wireUser(user, account),
        chat: privateChat(user, account),
        date: unixTime(this.deps.context),
        ...content,
        ...(reply ? { reply_to_message: reply } : {}),
      }),
      false,
    );
    await this.deps.updates.dispatch(bot, { message: stored.message });
    return { messageId: listedMessageId(chat.id, stored.message.message_id) };
  }

  async pressButton(user: VirtualUser, input: ButtonPressInput): Promise<void> {
    const account = telegramAccount(user);
    const received = user.received.findLast(
      (message) => message.platform === 'telegram' && message.messageId === input.messageId,
    );
    if (!received)
      throw new SandboxInputError(`user ${user.id} received no Telegram message ${input.messageId}`, 404);
    if (received.status === 'deleted') throw new SandboxInputError('the message was deleted', 409);
    const button = pressedButton(received, input);
    const bot = this.deps.bots.byId(Number(received.from));
    if (!bot) throw new SandboxInputError(`bot ${received.from} no longer exists`, 404);
    if (button.kind === 'reply') {
      await this.userMessage(user, { platform: 'telegram', text: button.label, to: String(bot.id) });
      return;
    }
    if (button.kind === 'link' || button.payload === undefined)
      throw new SandboxInputError('a link button opens its URL in the app; nothing reaches the bot', 422);
    const chat = chatOf(bot, Number(account.id));
    const id = `${this.deps.context.random.int(100_000_000, 999_999_999)}${this.deps.context.random.int(100_000_000, 999_999_999)}`;
    bot.callbackQueries.set(id, { answered: false });
    await this.deps.updates.dispatch(bot, {
      callback_query: {
        id,
        from: wireUser(user, account),
        message: findMessage(chat, input.messageId),
        chat_instance: chatInstance(bot, chat),
        data: button.payload,
      },
    });
  }

  /**
   * The user blocks (`kicked`) or unblocks (`member`) a bot: Telegram sends the bot `my_chat_member`.
   * The control API has already set `account.blocked`.
   */
  async setBlocked(user: VirtualUser, blocked: boolean, to?: string): Promise<void> {
    await this.membershipChanged(this.deps.bots.pick(to), user, telegramAccount(user), blocked);
  }

  /** Writing to a bot you blocked unblocks it first: Telegram reports my_chat_member kicked → member. */
  private async unblockIfBlocked(
    bot: SimulatedBot,
    user: VirtualUser,
    account: PlatformAccount,
  ): Promise<void> {
    if (!account.blocked) return;
    account.blocked = false;
    await this.membershipChanged(bot, user, account, false);
  }

  /** `my_chat_member` for a private chat: the bot's status member → kicked (blocked) or back. */
  private async membershipChanged(
    bot: SimulatedBot,
    user: VirtualUser,
    account: PlatformAccount,
    blocked: boolean,
  ): Promise<void> {
    const botMember = botUser(bot);
    const kicked = { user: botMember, status: 'kicked' as const, until_date: 0 };
    const member = { user: botMember, status: 'member' as const };
    await this.deps.updates.dispatch(bot, {
      my_chat_member: {
        chat: privateChat(user, account),
        from: wireUser(user, account),
        date: unixTime(this.deps.context),
        old_chat_member: blocked ? member : kicked,
        new_chat_member: blocked ? kicked : member,
      },
    });
  }

  private media(bot: SimulatedBot, attachment: Attachment): MediaFields {
    const { data, mimeType, fileName } = userFile(attachment, attachmentDefaults[attachment.kind]);
    if (attachment.kind === 'photo') {
      const info = imageInfo(data);
      if (!info) throw new SandboxInputError('a photo must be a JPEG, PNG, WebP or GIF image', 422);
      const file = registerFile(this.deps.context, bot, 'photo', {
        data,
        mimeType: info.mimeType,
        fileName,
        image: { width: info.width, height: info.height },
      });
      return { photo: [photoSize(file)] };
    }
    const file = registerFile(this.deps.context, bot, attachment.kind, { data, mimeType, fileName });
    const base = {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
      mime_type: mimeType,
    };
    const fields: Readonly<Record<Exclude<FileKind, 'photo'>, () => MediaFields>> = {
      document: () => ({ document: { ...base, file_name: fileName } }),
      voice: () => ({ voice: { ...base, duration: 1 } }),
      video: () => ({ video: { ...base, file_name: fileName, width: 640, height: 360, duration: 1 } }),
    };
    return fields[attachment.kind]();
  }
}

/** "Global identifier, uniquely corresponding to the chat to which the message with the callback button was sent." */
function chatInstance(bot: SimulatedBot, chat: BotChat): string {
  return createHash('sha256').update(`${bot.id}:${chat.id}`).digest().readBigInt64BE(0).toString();
}
