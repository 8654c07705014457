import type { Button, OutboundContent, SendOptions } from '../contract';

/** Fields every Cloud API message request carries (`POST /{phone-number-id}/messages`). */
interface MessageBase {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  /** Quotes a message: `context.message_id` is the wamid replied to. */
  context?: { message_id: string };
  /** Echoed back in this message's status webhooks (max 512 characters). */
  biz_opaque_callback_data?: string;
}

export interface ReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}

export interface InteractiveButtons {
  type: 'button';
  header?: { type: 'image'; image: { id: string } };
  body: { text: string };
  action: { buttons: ReplyButton[] };
}

export type TemplateParameter =
  | { type: 'text'; text: string }
  | { type: 'text'; parameter_name: string; text: string };

export type TemplateComponent =
  | { type: 'body'; parameters: TemplateParameter[] }
  | {
      type: 'button';
      sub_type: 'quick_reply';
      index: string;
      parameters: Array<{ type: 'payload'; payload: string }>;
    };

export interface TemplateObject {
  name: string;
  language: { code: string };
  components?: TemplateComponent[];
}

/** A Cloud API send request body, discriminated on `type` like the API itself. */
export type WhatsappMessage = MessageBase &
  (
    | { type: 'text'; text: { body: string; preview_url: boolean } }
    | { type: 'image'; image: { id: string; caption?: string } }
    | { type: 'interactive'; interactive: InteractiveButtons }
    | { type: 'template'; template: TemplateObject }
  );

export interface RenderInput {
  to: string;
  content: OutboundContent;
  options: SendOptions;
  /** Media id of the uploaded image, when the content has one. */
  imageId: string | null;
  /** Template language when the content names none. */
  templateLanguage: string;
}

/** Our content → the exact Cloud API request body. Pure: uploads happen before. */
export function renderMessage(input: RenderInput): WhatsappMessage {
  const base: MessageBase = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: input.to,
    ...(input.options.replyToExternalId ? { context: { message_id: input.options.replyToExternalId } } : {}),
    biz_opaque_callback_data: input.options.messageId.slice(0, 512),
  };
  const { content } = input;
  if (content.type === 'template') {
    return { ...base, type: 'template', template: renderTemplate(content, input.templateLanguage) };
  }
  const buttons = content.buttons ?? [];
  if (buttons.length > 0) {
    return { ...base, type: 'interactive', interactive: renderButtons(content.text, buttons, input.imageId) };
  }
  if (input.imageId) return { ...base, type: 'image', image: { id: input.imageId, caption: content.text } };
  return {
    ...base,
    type: 'text',
    text: { body: content.text, preview_url: /https?:\/\//i.test(content.text) },
  };
}

function renderButtons(text: string, buttons: Button[], imageId: string | null): InteractiveButtons {
  return {
    type: 'button',
    ...(imageId ? { header: { type: 'image' as const, image: { id: imageId } } } : {}),
    body: { text },
    action: {
      buttons: buttons.map((button) => ({
        type: 'reply' as const,
        reply: { id: buttonPayload(button), title: button.label },
      })),
    },
  };
}

/** Reply-button id: the payload that comes back in `button_reply.id`. */
export function buttonPayload(button: Button): string {
  return button.kind === 'link' ? button.url : button.payload;
}

/**
 * Template parameters: keys that are all numbers (`{"1": "Anna", "2": "1042"}`) are positional
 * `{{1}}`, `{{2}}` in key order; other keys are named parameters (`parameter_name`), for templates
 * created with `parameter_format: NAMED`. Reply buttons set the payload of the template's
 * quick-reply buttons by index.
 */
function renderTemplate(
  content: Extract<OutboundContent, { type: 'template' }>,
  defaultLanguage: string,
): TemplateObject {
  const components: TemplateComponent[] = [];
  const parameters = templateParameters(content.params);
  if (parameters.length > 0) components.push({ type: 'body', parameters });
  (content.buttons ?? []).forEach((button, index) => {
    components.push({
      type: 'button',
      sub_type: 'quick_reply',
      index: String(index),
      parameters: [{ type: 'payload', payload: buttonPayload(button) }],
    });
  });
  return {
    name: content.template,
    language: { code: content.language ?? defaultLanguage },
    ...(components.length > 0 ? { components } : {}),
  };
}

function templateParameters(params: Record<string, string>): TemplateParameter[] {
  const keys = Object.keys(params);
  if (keys.length === 0) return [];
  if (keys.every((key) => /^\d+$/.test(key))) {
    return keys
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => ({ type: 'text' as const, text: params[key] ?? '' }));
  }
  return keys.map((key) => ({ type: 'text' as const, parameter_name: key, text: params[key] ?? '' }));
}
