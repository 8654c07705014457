import type { ChannelKind, PlatformTemplate } from '../../adapters/contract';
import { placeholderUses, writeTemplate } from './placeholders';
import type { TemplateCategory } from './template-schema';

/**
 * How one platform writes a template that moderates templates itself. Our `#name#` / `##` syntax
 * is translated per platform; a text that the platform's syntax cannot say exactly is refused
 * before submission rather than approved with a different meaning.
 */
interface PlatformDialect {
  placeholder(name: string): string;
  /** The placeholder names the platform will see in a submitted text, in order. */
  placeholdersIn(text: string): string[];
  category(template: { category: TemplateCategory; advertisingTail?: string | null }): string | undefined;
}

const namesBy = (pattern: RegExp) => (text: string) =>
  [...text.matchAll(pattern)].map((match) => match[1] ?? '');

/** The gateway's `#name#` syntax has no escape: a literal `#` is sent as is. */
const notifyDialect: PlatformDialect = {
  placeholder: (name) => `#${name}#`,
  placeholdersIn: namesBy(/#([A-Za-z0-9_]+)#/g),
  category: () => undefined,
};

/** Meta's categories: advertising makes a template MARKETING whatever we call it. */
const whatsappCategory: Record<TemplateCategory, string> = {
  otp: 'AUTHENTICATION',
  marketing: 'MARKETING',
  transactional: 'UTILITY',
  order: 'UTILITY',
  delivery: 'UTILITY',
  payment: 'UTILITY',
  account: 'UTILITY',
};

const whatsappDialect: PlatformDialect = {
  placeholder: (name) => `{{${name}}}`,
  placeholdersIn: namesBy(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g),
  category: (template) => (template.advertisingTail ? 'MARKETING' : whatsappCategory[template.category]),
};

/** Platforms with their own template moderation, by channel kind. */
const dialects: Partial<Record<ChannelKind, PlatformDialect>> = {
  'vk-notify': notifyDialect,
  'ok-notify': notifyDialect,
  whatsapp: whatsappDialect,
};

export type PlatformTextResult = { ok: true; template: PlatformTemplate } | { ok: false; detail: string };

/**
 * The template a platform channel is asked to approve: body and advertising tail joined as
 * `renderTemplate` joins them, placeholders in the platform's syntax, category mapped.
 * Fails when the kind has no dialect here, or when literal `#` / `{{` would read as placeholders
 * on the platform (the names it would see differ from ours).
 */
export function platformTemplateFor(
  kind: ChannelKind,
  template: { body: string; advertisingTail?: string | null; category: TemplateCategory },
  platformName: string,
): PlatformTextResult {
  const dialect = dialects[kind];
  if (!dialect) return { ok: false, detail: `${kind} channels have no platform template dialect` };
  const text = writeTemplate(template, dialect.placeholder);
  const ours = [template.body, template.advertisingTail ?? ''].flatMap(placeholderUses);
  if (dialect.placeholdersIn(text).join(',') !== ours.join(',')) {
    return {
      ok: false,
      detail: `not submitted: a literal "#" or "{{" would read as a placeholder on ${kind}; reword the text`,
    };
  }
  const category = dialect.category(template);
  return { ok: true, template: { name: platformName, text, ...(category ? { category } : {}) } };
}
