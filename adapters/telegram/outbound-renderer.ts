import type { InlineKeyboardButton, InlineKeyboardMarkup, Opts, ReplyKeyboardMarkup } from 'telegraf/types';
import type { Button, ContentRefusal, OutboundContent, OutboundImage } from '../contract';
import { maxCallbackDataBytes, maxCaptionLength } from './capabilities';
import { decodeMessageRef } from './message-id';

/** One Bot API call `send` makes; the last call's message is the one `send` reports. */
export type PlannedCall =
  | { method: 'sendMessage'; payload: Opts<'sendMessage'> }
  | { method: 'sendPhoto'; payload: Opts<'sendPhoto'> };

export type RenderResult = { ok: true; calls: PlannedCall[] } | { ok: false; refusal: ContentRefusal };

type Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup;
type MarkupResult = { ok: true; markup?: Markup } | { ok: false; refusal: ContentRefusal };

const refusal = (limit: string, allowed: number | string, actual: number | string, message: string) => ({
  ok: false as const,
  refusal: { limit, allowed, actual, message },
});

function inlineButton(button: Exclude<Button, { kind: 'reply' }>): InlineKeyboardButton {
  return button.kind === 'link'
    ? { text: button.label, url: button.url }
    : { text: button.label, callback_data: button.payload };
}

function checkCallbackData(buttons: readonly Button[]): MarkupResult | null {
  for (const button of buttons) {
    if (button.kind !== 'callback') continue;
    const bytes = Buffer.byteLength(button.payload, 'utf8');
    if (bytes < 1 || bytes > maxCallbackDataBytes)
      return refusal(
        'buttons.payloadBytes',
        maxCallbackDataBytes,
        bytes,
        `callback payload of "${button.label}" is ${bytes} bytes; Telegram allows 1-64`,
      );
  }
  return null;
}

/**
 * Buttons become an inline keyboard (callback and link buttons), or a one-time reply keyboard when
 * every button is a reply button. One button per row, so long Russian labels stay readable.
 * Telegram cannot mix both kinds in one message.
 */
export function renderButtons(buttons: readonly Button[] = []): MarkupResult {
  if (buttons.length === 0) return { ok: true };
  const replies = buttons.filter((button) => button.kind === 'reply');
  if (replies.length === buttons.length)
    return {
      ok: true,
      markup: {
        keyboard: replies.map((button) => [{ text: button.label }]),
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    };
  if (replies.length > 0)
    return refusal(
      'buttons.kinds',
      'callback|link or reply only',
      'mixed',
      'Telegram cannot mix reply and inline buttons in one message',
    );
  const invalid = checkCallbackData(buttons);
  if (invalid) return invalid;
  const inline = buttons.filter(
    (button): button is Exclude<Button, { kind: 'reply' }> => button.kind !== 'reply',
  );
  return { ok: true, markup: { inline_keyboard: inline.map((button) => [inlineButton(button)]) } };
}

/** `reply_parameters` for a quote in the same chat; other chats' messages cannot be quoted. */
function replyParameters(
  chatId: string,
  replyToExternalId: string | undefined,
): Pick<Opts<'sendMessage'>, 'reply_parameters'> {
  const ref = replyToExternalId ? decodeMessageRef(replyToExternalId) : null;
  if (!ref || ref.chatId !== chatId) return {};
  return { reply_parameters: { message_id: ref.messageId, allow_sending_without_reply: true } };
}

function photoCall(chatId: string, image: OutboundImage, extra: Partial<Opts<'sendPhoto'>>): PlannedCall {
  return {
    method: 'sendPhoto',
    payload: { chat_id: chatId, photo: { source: image.data, filename: image.fileName }, ...extra },
  };
}

/**
 * Our content as Bot API calls. Text alone (with buttons) is one sendMessage. Text with an image is
 * one sendPhoto with the text as caption when it fits 1024 characters; otherwise the photo goes
 * first and the text (with buttons) follows as its own message, which is the one reported.
 * Text is sent without `parse_mode`: what the business wrote is shown literally.
 */
export function renderContent(
  chatId: string,
  content: OutboundContent,
  replyToExternalId?: string,
): RenderResult {
  const markup = renderButtons(content.buttons);
  if (!markup.ok) return markup;
  const keyboard = markup.markup ? { reply_markup: markup.markup } : {};
  const reply = replyParameters(chatId, replyToExternalId);
  const image = content.type === 'text' ? content.images?.[0] : undefined;
  const textCall: PlannedCall = {
    method: 'sendMessage',
    payload: { chat_id: chatId, text: content.text, ...keyboard, ...reply },
  };
  if (!image) return { ok: true, calls: [textCall] };
  if ([...content.text].length <= maxCaptionLength)
    return { ok: true, calls: [photoCall(chatId, image, { caption: content.text, ...keyboard, ...reply })] };
  return {
    ok: true,
    calls: [
      photoCall(chatId, image, reply),
      { ...textCall, payload: { chat_id: chatId, text: content.text, ...keyboard } },
    ],
  };
}
