import {
  type ChannelCapabilities,
  type OutboundContent,
  type OutboundImage,
  validateContent,
} from '../../adapters/contract';
import { renderTemplate } from '../templates/placeholders';
import { buttonsForChannel, type TemplateButton } from '../templates/template-buttons';

/** The parts of a template version a step renders. */
export interface RenderableTemplate {
  name: string;
  body: string;
  advertisingTail?: string | null;
  buttons?: unknown[];
  imageIds?: string[];
}

export type StepContent =
  | { ok: true; content: OutboundContent; text: string }
  | { ok: false; reason: 'content-unsupported' | 'params-missing'; detail: string };

/**
 * The content one route step sends: the template rendered with the parameters, as a platform
 * template where the channel moderates templates itself (its `name` is the platform's template
 * name), else as text with the template's buttons and images mapped to what the channel carries.
 * Content the channel cannot carry (too long, too many buttons, no images) is refused before any
 * network call, naming the limit, so the step is skipped as `content-unsupported`.
 */
export function renderStepContent(
  template: RenderableTemplate,
  params: Record<string, string>,
  capabilities: ChannelCapabilities,
  images: OutboundImage[],
): StepContent {
  const rendered = renderTemplate(
    { body: template.body, advertisingTail: template.advertisingTail ?? undefined },
    params,
  );
  if (!rendered.ok) {
    return {
      ok: false,
      reason: 'params-missing',
      detail: `missing parameters: ${rendered.missing.join(', ')}`,
    };
  }
  if (capabilities.platformTemplates) {
    // The platform holds the moderated template, buttons included: the message names it and fills it.
    const content: OutboundContent = {
      type: 'template',
      template: template.name,
      params,
      text: rendered.text,
    };
    return checked(capabilities, content, rendered.text);
  }
  const buttons = buttonsForChannel((template.buttons ?? []) as TemplateButton[], capabilities);
  if (!buttons.ok) {
    return { ok: false, reason: 'content-unsupported', detail: `${buttons.rule}: ${buttons.message}` };
  }
  if (images.length > 0 && !capabilities.images) {
    return { ok: false, reason: 'content-unsupported', detail: 'images: the channel cannot send images' };
  }
  const content: OutboundContent = {
    type: 'text',
    text: rendered.text,
    buttons: buttons.buttons,
    ...(images.length > 0 ? { images } : {}),
  };
  return checked(capabilities, content, rendered.text);
}

function checked(capabilities: ChannelCapabilities, content: OutboundContent, text: string): StepContent {
  const refusal = validateContent(capabilities, content);
  if (refusal) return { ok: false, reason: 'content-unsupported', detail: refusal.message };
  return { ok: true, content, text };
}
