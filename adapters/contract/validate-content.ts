import type { ChannelCapabilities } from './capabilities';
import type { OutboundContent } from './content';
import { permanent, type SendResult } from './results';

/** Why content does not fit a channel; `limit` names the capability that refused it. */
export interface ContentRefusal {
  limit: string;
  allowed: number | string;
  actual: number | string;
  message: string;
}

const codePoints = (text: string): number => [...text].length;

function refuse(
  limit: string,
  allowed: number | string,
  actual: number | string,
  what: string,
): ContentRefusal {
  return { limit, allowed, actual, message: `${what}: ${actual} exceeds ${limit} = ${allowed}` };
}

function checkText(caps: ChannelCapabilities, text: string): ContentRefusal | null {
  if (text.length === 0) return refuse('text.minLength', 1, 0, 'text is empty');
  const length = codePoints(text);
  if (length > caps.text.maxLength)
    return refuse('text.maxLength', caps.text.maxLength, length, 'text length');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (caps.text.maxBytes !== undefined && bytes > caps.text.maxBytes) {
    return refuse('text.maxBytes', caps.text.maxBytes, bytes, 'text size in UTF-8 bytes');
  }
  return null;
}

function checkButtons(caps: ChannelCapabilities, content: OutboundContent): ContentRefusal | null {
  const buttons = content.buttons ?? [];
  if (buttons.length === 0) return null;
  if (!caps.buttons) return refuse('buttons.max', 0, buttons.length, 'button count');
  if (buttons.length > caps.buttons.max)
    return refuse('buttons.max', caps.buttons.max, buttons.length, 'button count');
  for (const button of buttons) {
    if (!caps.buttons.kinds.includes(button.kind)) {
      return refuse('buttons.kinds', caps.buttons.kinds.join('|'), button.kind, 'button kind');
    }
    const length = codePoints(button.label);
    if (length > caps.buttons.maxLabelLength) {
      return refuse(
        'buttons.maxLabelLength',
        caps.buttons.maxLabelLength,
        length,
        `label "${button.label}" length`,
      );
    }
  }
  return null;
}

function checkImages(caps: ChannelCapabilities, content: OutboundContent): ContentRefusal | null {
  const images = content.type === 'text' ? (content.images ?? []) : [];
  if (images.length === 0) return null;
  if (!caps.images) return refuse('images.max', 0, images.length, 'image count');
  if (images.length > caps.images.max)
    return refuse('images.max', caps.images.max, images.length, 'image count');
  for (const image of images) {
    if (!caps.images.formats.includes(image.mimeType)) {
      return refuse('images.formats', caps.images.formats.join('|'), image.mimeType, 'image format');
    }
    if (image.data.length > caps.images.maxBytes) {
      return refuse(
        'images.maxBytes',
        caps.images.maxBytes,
        image.data.length,
        `image ${image.fileName} size`,
      );
    }
  }
  return null;
}

/** Checks content against a channel's capabilities. `null` means it fits. */
export function validateContent(caps: ChannelCapabilities, content: OutboundContent): ContentRefusal | null {
  if (content.type === 'template' && !caps.platformTemplates) {
    // Channels without platform templates send the rendered text.
    return checkText(caps, content.text) ?? checkButtons(caps, content);
  }
  return checkText(caps, content.text) ?? checkButtons(caps, content) ?? checkImages(caps, content);
}

/** The failure `send` returns for content that does not fit, before any network call. */
export function refusalResult(refusal: ContentRefusal): SendResult {
  const reason = refusal.limit.startsWith('text.max') ? 'content-too-long' : 'content-invalid';
  return permanent(reason, refusal.message, refusal.limit);
}
