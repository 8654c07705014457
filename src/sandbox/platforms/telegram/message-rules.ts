import { z } from 'zod';
import type { ReceivedMessage } from '../../virtual-users';
import { BotApiError, botApiErrors } from './bot-api-errors';
import type { RequestParams } from './request-params';
import type { WireInlineButton, WireInlineKeyboard } from './wire-types';

/** sendMessage `text`: 1-4096 characters (https://core.telegram.org/bots/api#sendmessage). */
export const maxTextLength = 4096;
/** sendPhoto `caption`: 0-1024 characters (https://core.telegram.org/bots/api#sendphoto). */
export const maxCaptionLength = 1024;
/** sendPhoto: "The photo must be at most 10 MB in size". */
export const maxPhotoBytes = 10 * 1024 * 1024;
/** getFile: "bots can download files of up to 20MB in size". */
export const maxDownloadBytes = 20 * 1024 * 1024;
/** InlineKeyboardButton `callback_data`: 1-64 bytes. */
const maxCallbackDataBytes = 64;
/** The server's inline keyboard limits: 100 buttons, 8 per row. */
const maxInlineButtons = 100;
const maxButtonsPerRow = 8;

const length = (text: string): number => [...text].length;

/** Message text: present, not only whitespace, at most 4096 characters. */
export function checkText(text: string | undefined): string {
  if (text === undefined || text.trim().length === 0) throw botApiErrors.textEmpty();
  if (length(text) > maxTextLength) throw botApiErrors.textTooLong();
  return text;
}

export function checkCaption(caption: string | undefined): string | undefined {
  if (caption !== undefined && length(caption) > maxCaptionLength) throw botApiErrors.captionTooLong();
  return caption === '' ? undefined : caption;
}

const inlineButtonSchema = z.looseObject({
  text: z.string().min(1),
  url: z.string().optional(),
  callback_data: z.string().optional(),
});
const replyButtonSchema = z.union([z.string().min(1), z.looseObject({ text: z.string().min(1) })]);
const inlineMarkupSchema = z.looseObject({ inline_keyboard: z.array(z.array(inlineButtonSchema)) });
const replyMarkupSchema = z.looseObject({ keyboard: z.array(z.array(replyButtonSchema)) });
const otherMarkupSchema = z.union([
  z.looseObject({ remove_keyboard: z.literal(true) }),
  z.looseObject({ force_reply: z.literal(true) }),
]);

/** Other inline button kinds we accept without checking (web_app, login_url, switch_inline_query…). */
const otherInlineKinds = [
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'copy_text',
  'pay',
];

function checkInlineButton(button: z.output<typeof inlineButtonSchema>): WireInlineButton {
  if (button.callback_data !== undefined) {
    const bytes = Buffer.byteLength(button.callback_data, 'utf8');
    if (bytes < 1 || bytes > maxCallbackDataBytes) throw botApiErrors.buttonDataInvalid();
    return { text: button.text, callback_data: button.callback_data };
  }
  if (button.url !== undefined) {
    if (!/^(https?|tg):\/\/\S+$/i.test(button.url) || !URL.canParse(button.url))
      throw botApiErrors.buttonUrlInvalid();
    return { text: button.text, url: button.url };
  }
  if (otherInlineKinds.some((kind) => Object.hasOwn(button, kind))) return { text: button.text };
  throw new BotApiError(
    400,
    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
  );
}

function inlineKeyboard(rows: Array<Array<z.output<typeof inlineButtonSchema>>>): WireInlineKeyboard {
  const count = rows.reduce((sum, row) => sum + row.length, 0);
  if (count > maxInlineButtons || rows.some((row) => row.length > maxButtonsPerRow))
    throw botApiErrors.markupTooLong();
  return { inline_keyboard: rows.map((row) => row.map(checkInlineButton)) };
}

const receivedButton = (button: WireInlineButton): ReceivedMessage['buttons'][number] =>
  button.callback_data !== undefined
    ? { label: button.text, kind: 'callback', payload: button.callback_data }
    : { label: button.text, kind: 'link', ...(button.url === undefined ? {} : { url: button.url }) };

/** A checked `reply_markup`: the inline keyboard to echo in the Message, and the buttons the user sees. */
export interface CheckedMarkup {
  inline?: WireInlineKeyboard;
  buttons: ReceivedMessage['buttons'];
}

export function checkReplyMarkup(params: RequestParams): CheckedMarkup {
  if (!params.has('reply_markup')) return { buttons: [] };
  const raw = params.json('reply_markup', botApiErrors.markupUnparsable());
  const inlineMarkup = inlineMarkupSchema.safeParse(raw);
  if (inlineMarkup.success) {
    const inline = inlineKeyboard(inlineMarkup.data.inline_keyboard);
    return { inline, buttons: inline.inline_keyboard.flat().map(receivedButton) };
  }
  const replyMarkup = replyMarkupSchema.safeParse(raw);
  if (replyMarkup.success) {
    const labels = replyMarkup.data.keyboard
      .flat()
      .map((button) => (typeof button === 'string' ? button : button.text));
    return { buttons: labels.map((label) => ({ label, kind: 'reply' as const })) };
  }
  if (otherMarkupSchema.safeParse(raw).success) return { buttons: [] };
  throw botApiErrors.markupUnparsable();
}

/** The message id to reply to, from `reply_parameters` (Bot API 7.0) or the older `reply_to_message_id`. */
export function replyTarget(params: RequestParams): { messageId: number; allowMissing: boolean } | null {
  const replyParameters = z
    .looseObject({ message_id: z.number().int(), allow_sending_without_reply: z.boolean().optional() })
    .safeParse(params.json('reply_parameters'));
  if (params.has('reply_parameters') && !replyParameters.success)
    throw botApiErrors.jsonUnparsable('reply parameters');
  if (replyParameters.success)
    return {
      messageId: replyParameters.data.message_id,
      allowMissing: replyParameters.data.allow_sending_without_reply ?? false,
    };
  const legacy = params.integer('reply_to_message_id');
  return legacy === undefined
    ? null
    : { messageId: legacy, allowMissing: params.boolean('allow_sending_without_reply') };
}
