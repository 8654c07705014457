import { z } from 'zod';
import type { ReceivedMessage } from '../../virtual-users';
import { OkSimulatedError } from './errors';

/**
 * Limits the simulator enforces on `POST /graph/me/messages/{chat_id}`. OK's own docs state only
 * "Maximum number of attachments is 5"; text and keyboard limits follow TamTam's Bot API, the
 * messaging backend OK group messages share (text ≤ 4000, ≤ 30 rows, ≤ 7 per row, ≤ 210 buttons,
 * label ≤ 128, callback payload ≤ 1024).
 */
export const okLimits = {
  textLength: 4000,
  attachments: 5,
  keyboardRows: 30,
  buttonsPerRow: 7,
  buttons: 210,
  labelLength: 128,
  payloadLength: 1024,
} as const;

const button = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('CALLBACK'),
    text: z.string(),
    payload: z.string(),
    intent: z.enum(['DEFAULT', 'POSITIVE', 'NEGATIVE']).optional(),
  }),
  z.object({ type: z.literal('LINK'), text: z.string(), url: z.string() }),
]);

const keyboardAttachment = z.object({
  type: z.literal('INLINE_KEYBOARD'),
  payload: z.object({ keyboard: z.object({ buttons: z.array(z.array(button)) }) }),
});
type Keyboard = z.output<typeof keyboardAttachment>;

export const sendMessageBody = z.object({
  recipient: z.object({ chat_id: z.string().optional() }).optional(),
  message: z.object({
    text: z.string().optional(),
    attachment: keyboardAttachment.optional(),
    attachments: z.array(keyboardAttachment).optional(),
    reply_to: z.string().optional(),
  }),
});
export type SendMessageBody = z.output<typeof sendMessageBody>;

/** Parses a send body; anything OK would not accept is a PARAM error naming the field. */
export function parseSendBody(body: unknown, chatId: string): SendMessageBody {
  const parsed = sendMessageBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OkSimulatedError(
      100,
      `Invalid parameter ${issue?.path.join('.') ?? 'message'}: ${issue?.message}`,
    );
  }
  const target = parsed.data.recipient?.chat_id;
  if (target !== undefined && target !== chatId) {
    throw new OkSimulatedError(
      100,
      'Invalid parameter recipient.chat_id: does not match the chat in the path',
    );
  }
  checkMessage(parsed.data);
  return parsed.data;
}

const keyboardsOf = (body: SendMessageBody): Keyboard[] => [
  ...(body.message.attachment ? [body.message.attachment] : []),
  ...(body.message.attachments ?? []),
];

function checkMessage(body: SendMessageBody): void {
  const text = body.message.text ?? '';
  const keyboards = keyboardsOf(body);
  if (text.length === 0 && keyboards.length === 0) throw new OkSimulatedError(100, 'Message is empty');
  if ([...text].length > okLimits.textLength) {
    throw new OkSimulatedError(100, `Invalid parameter text: longer than ${okLimits.textLength} characters`);
  }
  if (keyboards.length > okLimits.attachments) {
    throw new OkSimulatedError(100, `Too many attachments: at most ${okLimits.attachments}`);
  }
  for (const keyboard of keyboards) checkKeyboard(keyboard.payload.keyboard.buttons);
}

function checkKeyboard(rows: Keyboard['payload']['keyboard']['buttons']): void {
  const count = rows.reduce((total, row) => total + row.length, 0);
  if (rows.length > okLimits.keyboardRows) throw keyboardError(`more than ${okLimits.keyboardRows} rows`);
  if (count > okLimits.buttons) throw keyboardError(`more than ${okLimits.buttons} buttons`);
  if (rows.some((row) => row.length === 0 || row.length > okLimits.buttonsPerRow)) {
    throw keyboardError(`a row must hold 1 to ${okLimits.buttonsPerRow} buttons`);
  }
  for (const item of rows.flat()) checkButton(item);
}

function checkButton(item: z.output<typeof button>): void {
  const length = [...item.text].length;
  if (length === 0 || length > okLimits.labelLength) {
    throw keyboardError(`button text must be 1 to ${okLimits.labelLength} characters`);
  }
  if (
    item.type === 'CALLBACK' &&
    (item.payload.length === 0 || item.payload.length > okLimits.payloadLength)
  ) {
    throw keyboardError(`callback payload must be 1 to ${okLimits.payloadLength} characters`);
  }
  if (item.type === 'LINK' && !/^https?:\/\/\S+$/.test(item.url))
    throw keyboardError('link url must be http(s)');
}

const keyboardError = (what: string): OkSimulatedError =>
  new OkSimulatedError(100, `Invalid parameter attachment.payload.keyboard: ${what}`);

/** The buttons of a send body as the virtual user sees them. */
export function receivedButtons(body: SendMessageBody): ReceivedMessage['buttons'] {
  return keyboardsOf(body).flatMap((keyboard) =>
    keyboard.payload.keyboard.buttons
      .flat()
      .map((item) =>
        item.type === 'CALLBACK'
          ? { label: item.text, kind: 'callback' as const, payload: item.payload }
          : { label: item.text, kind: 'link' as const, url: item.url },
      ),
  );
}
