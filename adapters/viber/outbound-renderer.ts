import { Message, type ViberMessage } from 'viber-bot';
import type { Button, ContentRefusal, OutboundContent } from '../contract';
import { viberMessageMaxBytes, viberTrackingDataMaxLength } from './capabilities';

/** `min_api_version` of what we send: plain text and a basic keyboard work from API level 1. */
export const viberMinApiVersion = 1;

/** A Viber keyboard button (developers.viber.com/docs/tools/keyboards, "Buttons parameters"). */
export interface ViberKeyboardButton {
  Columns: number;
  Rows: number;
  ActionType: 'reply' | 'open-url';
  ActionBody: string;
  Text: string;
}

export interface ViberKeyboard {
  Type: 'keyboard';
  DefaultHeight: boolean;
  Buttons: ViberKeyboardButton[];
}

/**
 * What we put in `tracking_data`: the payloads of the reply buttons on offer. Viber returns the
 * last message's tracking data with the user's next message, and a reply button's press arrives as
 * an ordinary text message whose text is the button's `ActionBody`; the inbound mapper uses this
 * list to tell a press (`buttonPayload`) from typed text.
 */
export interface ViberTrackingData {
  replyButtons: string[];
}

export type RenderedViberMessage =
  | { ok: true; message: ViberMessage; trackingData: ViberTrackingData | null }
  | { ok: false; refusal: ContentRefusal };

const renderButton = (button: Button): ViberKeyboardButton =>
  button.kind === 'link'
    ? { Columns: 6, Rows: 1, ActionType: 'open-url', ActionBody: button.url, Text: button.label }
    : { Columns: 6, Rows: 1, ActionType: 'reply', ActionBody: button.payload, Text: button.label };

/** Our buttons as a Viber keyboard (one full-width button per row), `null` without buttons. */
export function renderKeyboard(buttons: readonly Button[]): ViberKeyboard | null {
  if (buttons.length === 0) return null;
  return { Type: 'keyboard', DefaultHeight: false, Buttons: buttons.map(renderButton) };
}

/** Reply-button payloads for `tracking_data`; `null` when none, or when they would not fit. */
export function renderTrackingData(buttons: readonly Button[]): ViberTrackingData | null {
  const replyButtons = buttons.flatMap((button) => (button.kind === 'link' ? [] : [button.payload]));
  if (replyButtons.length === 0) return null;
  const trackingData = { replyButtons };
  return JSON.stringify(trackingData).length <= viberTrackingDataMaxLength ? trackingData : null;
}

/**
 * Our content as one viber-bot `TextMessage` with its keyboard (`validateContent` has already run).
 * Refuses a message whose JSON would pass Viber's 30 KB message size limit.
 */
export function renderViberMessage(content: OutboundContent): RenderedViberMessage {
  const buttons = content.buttons ?? [];
  const keyboard = renderKeyboard(buttons);
  const trackingData = renderTrackingData(buttons);
  const message = new Message.Text(content.text, keyboard, null, null, null, viberMinApiVersion);
  const size = Buffer.byteLength(JSON.stringify({ ...message.toJson(), keyboard, trackingData }), 'utf8');
  if (size > viberMessageMaxBytes) {
    return {
      ok: false,
      refusal: {
        limit: 'message.maxBytes',
        allowed: viberMessageMaxBytes,
        actual: size,
        message: `message size in bytes: ${size} exceeds message.maxBytes = ${viberMessageMaxBytes}`,
      },
    };
  }
  return { ok: true, message, trackingData };
}
