import { createHash } from 'node:crypto';
import { Keyboard } from 'vk-io';
import type { Button, OutboundContent, SendOptions } from '../contract';

/** Buttons per keyboard row we lay out (VK allows 5; two keep 40-character labels readable). */
const buttonsPerRow = 2;

/**
 * VK's `random_id` for one of our message ids: the first 31 bits of its SHA-256 (never 0, which
 * VK treats as "no idempotency key"). A retried send with the same `messageId` gets the same
 * `random_id`, and VK answers it with the first message's id without delivering again.
 */
export function randomIdFor(messageId: string): number {
  const value = createHash('sha256').update(messageId).digest().readUInt32BE(0) & 0x7fffffff;
  return value === 0 ? 1 : value;
}

/**
 * An inline keyboard (vk-io KeyboardBuilder): `text` buttons for reply, `callback` buttons for
 * callback, `open_link` for link. Our payload string is sent JSON-encoded (VK requires JSON,
 * at most 255 characters). Throws `RangeError` when VK's limits are exceeded.
 */
export function renderKeyboard(buttons: readonly Button[]): string {
  const builder = Keyboard.builder().inline();
  buttons.forEach((button, index) => {
    if (index > 0 && index % buttonsPerRow === 0) builder.row();
    if (button.kind === 'link') builder.urlButton({ label: button.label, url: button.url });
    else if (button.kind === 'callback')
      builder.callbackButton({ label: button.label, payload: button.payload });
    else builder.textButton({ label: button.label, payload: button.payload });
  });
  return builder.toString();
}

/** The `messages.send` parameters for one message to one peer. */
export function renderSendParams(
  peerId: number,
  content: OutboundContent,
  options: SendOptions,
): Record<string, string | number> {
  const buttons = content.buttons ?? [];
  const replyTo = options.replyToExternalId ? peerIdOf(options.replyToExternalId) : null;
  return {
    peer_id: peerId,
    random_id: randomIdFor(options.messageId),
    message: content.text,
    ...(buttons.length > 0 ? { keyboard: renderKeyboard(buttons) } : {}),
    ...(replyTo !== null ? { reply_to: replyTo } : {}),
  };
}

/** A positive VK id (user id, chat peer id, message id) from its decimal string; `null` otherwise. */
export function peerIdOf(value: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(value)) return null;
  return Number(value);
}
