import type { Button, OutboundContent } from '../contract';

/** One button of an OK `INLINE_KEYBOARD` attachment. */
export type OkButton =
  | { type: 'CALLBACK'; text: string; intent: 'DEFAULT'; payload: string }
  | { type: 'LINK'; text: string; url: string };

/** The keyboard attachment: rows of buttons under `payload.keyboard.buttons`. */
export interface OkKeyboardAttachment {
  type: 'INLINE_KEYBOARD';
  payload: { keyboard: { buttons: OkButton[][] } };
}

/**
 * The body of `POST /graph/me/messages/{chat_id}` (apiok.ru graph.user.messages): the recipient chat,
 * the message text, an optional attachment and the id of the message it answers.
 */
export interface OkSendMessageBody {
  recipient: { chat_id: string };
  message: { text: string; attachment?: OkKeyboardAttachment; reply_to?: string };
}

const buttonRenderers: { [K in Button['kind']]: (button: Extract<Button, { kind: K }>) => OkButton | null } =
  {
    callback: (button) => ({
      type: 'CALLBACK',
      text: button.label,
      intent: 'DEFAULT',
      payload: button.payload,
    }),
    link: (button) => ({ type: 'LINK', text: button.label, url: button.url }),
    // OK has no text ("reply") keyboard; validateContent refuses these before we get here.
    reply: () => null,
  };

function renderButton(button: Button): OkButton | null {
  const render = buttonRenderers[button.kind] as (button: Button) => OkButton | null;
  return render(button);
}

/** One button per row: labels stay readable on phones and the row limit is the only one that applies. */
function renderKeyboard(buttons: readonly Button[]): OkKeyboardAttachment | undefined {
  const rows = buttons.map(renderButton).flatMap((button) => (button ? [[button]] : []));
  return rows.length === 0
    ? undefined
    : { type: 'INLINE_KEYBOARD', payload: { keyboard: { buttons: rows } } };
}

/** Our content → the OK send-message body. Templates are sent as their rendered text. */
export function renderMessage(chatId: string, content: OutboundContent, replyTo?: string): OkSendMessageBody {
  const attachment = renderKeyboard(content.buttons ?? []);
  return {
    recipient: { chat_id: chatId },
    message: {
      text: content.text,
      ...(attachment ? { attachment } : {}),
      ...(replyTo ? { reply_to: replyTo } : {}),
    },
  };
}
