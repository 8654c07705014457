import { botApiErrors } from './bot-api-errors';
import type { BotFile, SimulatedBot } from './bot-registry';
import { imageInfo } from './image-info';
import { checkCaption, checkReplyMarkup, checkText, maxPhotoBytes, replyTarget } from './message-rules';
import {
  deleteWindowMs,
  deliverToUser,
  type Recipient,
  receivedRecord,
  recipientOf,
  replyMessage,
  throttle,
  withoutNestedReply,
} from './outbound-delivery';
import type { MethodCall, MethodHandler, TelegramSimulatorDeps } from './simulator-deps';
import { botUser, photoSize, privateChat, registerFile, storeMessage, unixTime } from './wire-builders';
import type { WireMessage } from './wire-types';

type Envelope = Pick<WireMessage, 'message_id' | 'from' | 'chat' | 'date'>;

/** The photo of a sendPhoto call: an upload (multipart, maybe `attach://name`) or a known file_id. */
function photoOf(deps: TelegramSimulatorDeps, { bot, params }: MethodCall): BotFile {
  const value = params.string('photo');
  const attached = value?.startsWith('attach://') ? params.file(value.slice('attach://'.length)) : undefined;
  const upload = params.file('photo') ?? attached;
  if (!upload) {
    if (value === undefined) throw botApiErrors.noPhoto();
    // URLs would be fetched by Telegram; the offline sandbox only knows its own file_ids.
    const known = bot.files.get(value);
    if (!known?.image) throw botApiErrors.wrongFileReference();
    return known;
  }
  if (upload.data.length > maxPhotoBytes) throw botApiErrors.fileTooBig();
  const info = imageInfo(upload.data);
  if (!info) throw botApiErrors.imageProcessFailed();
  return registerFile(deps.context, bot, 'photo', {
    data: upload.data,
    mimeType: info.mimeType,
    fileName: upload.fileName,
    image: { width: info.width, height: info.height },
  });
}

/** Checks the common parts of a send, then stores and delivers the message `body` builds. */
function sendTo(
  deps: TelegramSimulatorDeps,
  call: MethodCall,
  recipient: Recipient,
  body: (envelope: Envelope) => WireMessage,
  images: (message: WireMessage) => Array<{ mimeType: string; size: number }>,
) {
  const { context } = deps;
  const markup = checkReplyMarkup(call.params);
  const reply = replyMessage(recipient.chat, replyTarget(call.params));
  throttle(context, call.bot);
  const stored = storeMessage(
    context,
    recipient.chat,
    (messageId) => ({
      ...body({
        message_id: messageId,
        from: botUser(call.bot),
        chat: privateChat(recipient.user, recipient.account),
        date: unixTime(context),
      }),
      ...(reply ? { reply_to_message: withoutNestedReply(reply.message) } : {}),
      ...(markup.inline ? { reply_markup: markup.inline } : {}),
    }),
    true,
  );
  deliverToUser(context, recipient, call.bot, stored.message, {
    buttons: markup.buttons,
    images: images(stored.message),
  });
  return { result: stored.message };
}

function deleteMessage(deps: TelegramSimulatorDeps, { bot, params }: MethodCall) {
  const chatId = params.integer('chat_id');
  if (chatId === undefined) throw botApiErrors.chatIdEmpty();
  const chat = bot.chats.get(chatId);
  if (!chat) throw botApiErrors.chatNotFound();
  const stored = chat.messages.get(params.integer('message_id') ?? -1);
  if (!stored || stored.deleted) throw botApiErrors.deleteNotFound();
  if (deps.context.clock.nowMs() - stored.sentAtMs >= deleteWindowMs) throw botApiErrors.cantDelete();
  stored.deleted = true;
  const user = deps.context.users.byAccount('telegram', String(chatId));
  const record = user && receivedRecord(user, bot, chatId, stored.message.message_id);
  if (record) record.status = 'deleted';
  return { result: true };
}

function answerCallbackQuery(bot: SimulatedBot, call: MethodCall) {
  const query = bot.callbackQueries.get(call.params.string('callback_query_id') ?? '');
  if (!query || query.answered) throw botApiErrors.queryInvalid();
  query.answered = true;
  return { result: true };
}

/** sendMessage, sendPhoto, deleteMessage, answerCallbackQuery (https://core.telegram.org/bots/api#available-methods). */
export function messageMethods(deps: TelegramSimulatorDeps): Record<string, MethodHandler> {
  return {
    sendmessage: (call) => {
      const recipient = recipientOf(deps.context, call.bot, call.params);
      const text = checkText(call.params.string('text'));
      return sendTo(
        deps,
        call,
        recipient,
        (envelope) => ({ ...envelope, text }),
        () => [],
      );
    },
    sendphoto: (call) => {
      const recipient = recipientOf(deps.context, call.bot, call.params);
      const caption = checkCaption(call.params.string('caption'));
      const photo = photoOf(deps, call);
      const mimeType = deps.context.files.get(photo.storedId)?.mimeType ?? 'image/jpeg';
      return sendTo(
        deps,
        call,
        recipient,
        (envelope) => ({ ...envelope, photo: [photoSize(photo)], ...(caption ? { caption } : {}) }),
        () => [{ mimeType, size: photo.size }],
      );
    },
    deletemessage: (call) => deleteMessage(deps, call),
    answercallbackquery: (call) => answerCallbackQuery(call.bot, call),
  };
}
