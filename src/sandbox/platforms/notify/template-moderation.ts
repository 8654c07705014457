import type { TemplateButton, TemplateRequest } from './wire-schemas';

/** Longest notification text: 2048 characters and at most 2 KB in UTF-8 (VK Notify FAQ). */
export const textLimits = { maxLength: 2048, maxBytes: 2048 } as const;

/**
 * Link shorteners. VK's moderation wants the real destination visible to the customer, so a
 * shortened link gets a template rejected.
 */
const shortenerHosts = [
  'bit.ly',
  'clck.ru',
  'cutt.ly',
  'goo.gl',
  'goo.su',
  'is.gd',
  'ow.ly',
  't.co',
  'tinyurl.com',
  'vk.cc',
];

interface ModerationRule {
  reason: string;
  breaks(template: TemplateRequest): string | null;
}

const hostsIn = (text: string): string[] =>
  [...text.matchAll(/\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:\/\S*)?/gi)].map((match) =>
    (match[1] ?? '').toLowerCase(),
  );

const usesShortener = (text: string): string | undefined =>
  hostsIn(text).find((host) => shortenerHosts.some((shortener) => host === shortener));

const buttonUrls = (buttons: TemplateButton[]): string =>
  buttons.map((button) => (button.type === 'link' ? button.url : '')).join(' ');

/** The rules the simulated moderator applies, in order; the first broken one is the reason. */
const moderationRules: readonly ModerationRule[] = [
  {
    reason: 'text_too_long',
    breaks: ({ text }) => {
      const length = [...text].length;
      if (length > textLimits.maxLength)
        return `text is ${length} characters; at most ${textLimits.maxLength} are allowed`;
      const bytes = Buffer.byteLength(text, 'utf8');
      return bytes > textLimits.maxBytes
        ? `text is ${bytes} bytes in UTF-8; at most ${textLimits.maxBytes} are allowed`
        : null;
    },
  },
  {
    reason: 'link_shortener',
    breaks: (template) => {
      const host = usesShortener(`${template.text} ${buttonUrls(template.buttons)}`);
      return host ? `link shorteners are not allowed (${host}); use the full link` : null;
    },
  },
];

/** `null` when the template passes moderation, else the reason code and the moderator's comment. */
export function moderate(template: TemplateRequest): { reason: string; comment: string } | null {
  for (const rule of moderationRules) {
    const comment = rule.breaks(template);
    if (comment) return { reason: rule.reason, comment };
  }
  return null;
}

/** `#param#` placeholders of a template text, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/#([A-Za-z0-9_]+)#/g)].map((match) => match[1] ?? ''))];
}

/** Substitutes `#param#` placeholders; `missing` lists placeholders without a value. */
export function renderTemplate(
  text: string,
  params: Record<string, string>,
): { text: string; missing: string[] } {
  const missing = placeholders(text).filter((name) => params[name] === undefined);
  const rendered = text.replace(/#([A-Za-z0-9_]+)#/g, (whole, name: string) => params[name] ?? whole);
  return { text: rendered, missing };
}
