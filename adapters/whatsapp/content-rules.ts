import { type OutboundContent, permanent, type SendResult } from '../contract';
import { whatsappLimits } from './capabilities';
import { buttonPayload } from './outbound-renderer';

const codePoints = (text: string): number => [...text].length;

function tooLong(limit: string, allowed: number, actual: number, what: string): SendResult {
  return permanent('content-too-long', `${what}: ${actual} exceeds ${limit} = ${allowed}`, limit);
}

function invalid(limit: string, message: string): SendResult {
  return permanent('content-invalid', `${message} (${limit})`, limit);
}

/**
 * WhatsApp rules the shared capabilities cannot express, checked before any request: a message with
 * buttons is an interactive message whose body holds 1024 characters (not 4096), an image caption
 * holds 1024, and reply-button ids must be 1–256 characters and, like titles, unique.
 * `null` when the content fits.
 */
export function checkWhatsappRules(content: OutboundContent): SendResult | null {
  const length = codePoints(content.text);
  const buttons = content.buttons ?? [];
  const hasImage = content.type === 'text' && (content.images?.length ?? 0) > 0;
  if (content.type === 'text' && buttons.length > 0 && length > whatsappLimits.interactiveBodyMaxLength) {
    return tooLong(
      'interactive.body.maxLength',
      whatsappLimits.interactiveBodyMaxLength,
      length,
      'text of a message with buttons',
    );
  }
  if (hasImage && buttons.length === 0 && length > whatsappLimits.captionMaxLength) {
    return tooLong('image.caption.maxLength', whatsappLimits.captionMaxLength, length, 'image caption');
  }
  return checkButtonIds(content);
}

function checkButtonIds(content: OutboundContent): SendResult | null {
  const buttons = content.buttons ?? [];
  const payloads = buttons.map(buttonPayload);
  const tooLongId = payloads.find(
    (payload) => payload.length === 0 || payload.length > whatsappLimits.buttonIdMaxLength,
  );
  if (tooLongId !== undefined) {
    return invalid(
      'buttons.payload.length',
      `button payload must be 1–${whatsappLimits.buttonIdMaxLength} characters`,
    );
  }
  if (new Set(payloads).size !== payloads.length)
    return invalid('buttons.payload.unique', 'button payloads must differ');
  const labels = buttons.map((button) => button.label);
  if (new Set(labels).size !== labels.length)
    return invalid('buttons.label.unique', 'button labels must differ');
  return null;
}
