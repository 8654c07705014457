import type { Button, ButtonKind, ChannelCapabilities } from '../../adapters/contract';
import type { BotButton, BotReply } from './bot-context';

/** A bot reply as one channel carries it: real buttons where they fit, else numbered options in the text. */
export interface RenderedReply {
  text: string;
  buttons: Button[];
  /** Whether the options were written into the text as a numbered list. */
  numbered: boolean;
}

export const numberedHint = 'Ответьте цифрой / reply with a number.';

/**
 * Renders a reply for a channel's capabilities. Payload buttons become the channel's first
 * choice-carrying kind (`reply` or `callback`: VK and Viber keyboards, Telegram and OK inline
 * buttons, WhatsApp reply buttons); link buttons stay links where the channel has them. When the
 * channel has no such buttons, or the reply has more buttons than it takes or a label longer than
 * it allows (WhatsApp: 3 buttons of 20 characters), every option is written as a numbered line and
 * the customer answers with the number (or the label), which the engine maps back to the payload.
 */
export function renderReply(
  reply: BotReply,
  capabilities: Pick<ChannelCapabilities, 'buttons'>,
): RenderedReply {
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return { text: reply.text, buttons: [], numbered: false };
  const rendered = asChannelButtons(buttons, capabilities.buttons);
  if (rendered) return { text: reply.text, buttons: rendered, numbered: false };
  return { text: numberedText(reply.text, buttons), buttons: [], numbered: true };
}

function asChannelButtons(
  buttons: readonly BotButton[],
  caps: ChannelCapabilities['buttons'],
): Button[] | null {
  if (!caps || buttons.length > caps.max) return null;
  const choice = caps.kinds.find(
    (kind): kind is Extract<ButtonKind, 'reply' | 'callback'> => kind !== 'link',
  );
  const fits = (button: BotButton) =>
    [...button.label].length <= caps.maxLabelLength &&
    ('url' in button ? caps.kinds.includes('link') : !!choice);
  if (!buttons.every(fits)) return null;
  return buttons.map((button) =>
    'url' in button
      ? { kind: 'link', label: button.label, url: button.url }
      : { kind: choice as 'reply' | 'callback', label: button.label, payload: button.payload },
  );
}

function numberedText(text: string, buttons: readonly BotButton[]): string {
  let number = 0;
  const lines = buttons.map((button) =>
    'url' in button ? `${button.label}: ${button.url}` : `${++number}. ${button.label}`,
  );
  const hint = number > 0 ? `\n${numberedHint}` : '';
  return `${text}\n\n${lines.join('\n')}${hint}`;
}
