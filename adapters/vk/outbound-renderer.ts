import { createHash } from 'node:crypto';
import type { Params } from 'vk-io';
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

/** VK's payload limit: JSON up to 255 characters (dev.vk.com/ru/api/bots/development/keyboard). */
const maxPayloadLength = 255;

/** Raised when content cannot be expressed as a VK keyboard (the caller answers `content-invalid`). */
export class KeyboardError extends Error {}

/** A keyboard button in VK's JSON (dev.vk.com/ru/api/bots/development/keyboard, "action"). */
type KeyboardButton =
  | { action: { type: 'text' | 'callback'; label: string; payload: string }; color: 'secondary' }
  | { action: { type: 'open_link'; link: string; label: string } };

function payloadOf(payload: string): string {
  const json = JSON.stringify(payload);
  if (json.length > maxPayloadLength)
    throw new KeyboardError(
      `button payload is ${json.length} characters as JSON; VK allows ${maxPayloadLength}`,
    );
  return json;
}

/** One button: `text` (reply), `callback` (callback) or `open_link` (link). */
function renderButton(button: Button): KeyboardButton {
  if (button.kind === 'link') return { action: { type: 'open_link', link: button.url, label: button.label } };
  const type = button.kind === 'callback' ? 'callback' : 'text';
  return { action: { type, label: button.label, payload: payloadOf(button.payload) }, color: 'secondary' };
}

/**
 * An inline keyboard in VK's JSON (the same shape vk-io's KeyboardBuilder produces), two buttons
 * per row. Our payload string is sent JSON-encoded: VK requires payloads to be JSON.
 */
export function renderKeyboard(buttons: readonly Button[]): string {
  const rows: KeyboardButton[][] = [];
  buttons.forEach((button, index) => {
    if (index % buttonsPerRow === 0) rows.push([]);
    rows.at(-1)?.push(renderButton(button));
  });
  return JSON.stringify({ buttons: rows, inline: true });
}

/** The `messages.send` parameters for one message to one peer. */
export function renderSendParams(
  peerId: number,
  content: OutboundContent,
  options: SendOptions,
): Params.MessagesSendParams {
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
