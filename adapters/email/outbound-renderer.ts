import type { SendMailOptions } from 'nodemailer';
import type { OutboundContent, OutboundImage, SendOptions } from '../contract';
import type { EmailConfig } from './config-schema';
import { type HtmlLink, renderHtmlDocument } from './html-body';
import { imageContentId, messageIdFor } from './message-id';

/** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters; a derived subject stays within that. */
export const maxDerivedSubjectLength = 78;

/** Who receives, as the e-mail channel addresses them. */
export interface EmailRecipient {
  address: string;
  name?: string;
}

/** Why content cannot be rendered as e-mail (checked before any network call). */
export interface RenderRefusal {
  limit: string;
  message: string;
}

export type RenderedEmail = { ok: true; mail: SendMailOptions } | { ok: false; refusal: RenderRefusal };

/**
 * The subject: `options.subject` when given, else the text's first non-empty line with its
 * whitespace collapsed, cut to 78 characters (77 and "…") so the header line stays readable.
 */
export function subjectFor(text: string, subject: string | undefined): string {
  const given = subject?.trim();
  if (given) return given;
  const firstLine = text.split(/\r\n|\r|\n/).find((line) => line.trim().length > 0) ?? '';
  const collapsed = [...firstLine.replace(/\s+/g, ' ').trim()];
  if (collapsed.length <= maxDerivedSubjectLength) return collapsed.join('');
  return `${collapsed.slice(0, maxDerivedSubjectLength - 1).join('')}…`;
}

/** The URL normalised when it is an absolute http or https URL; `null` for anything else. */
export function safeLinkUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function linksOf(content: OutboundContent): HtmlLink[] | RenderRefusal {
  const links: HtmlLink[] = [];
  for (const button of content.buttons ?? []) {
    const url = button.kind === 'link' ? safeLinkUrl(button.url) : null;
    if (!url) {
      return {
        limit: 'buttons.url',
        message: `button "${button.label}" needs an absolute http(s) URL; e-mail buttons are links`,
      };
    }
    links.push({ label: button.label, url });
  }
  return links;
}

const textWithLinks = (text: string, links: readonly HtmlLink[]): string =>
  links.length === 0 ? text : `${text}\n\n${links.map((link) => `${link.label}: ${link.url}`).join('\n')}`;

const imagesOf = (content: OutboundContent): OutboundImage[] =>
  content.type === 'text' ? (content.images ?? []) : [];

/**
 * Our content as a nodemailer message: a text part, an HTML part with the text escaped (never
 * injected) and the link buttons as `<a href>`, images as inline attachments shown by `cid:`,
 * the deterministic Message-ID, and `X-Vestnik-Message-Id` with our id.
 */
export function renderEmail(input: {
  config: EmailConfig;
  recipient: EmailRecipient;
  content: OutboundContent;
  options: SendOptions;
}): RenderedEmail {
  const { config, recipient, content, options } = input;
  const links = linksOf(content);
  if (!Array.isArray(links)) return { ok: false, refusal: links };
  const subject = subjectFor(content.text, options.subject);
  const images = imagesOf(content).map((image, index) => ({
    image,
    contentId: imageContentId(options.messageId, index, config.from.address),
  }));
  const mail: SendMailOptions = {
    from: { name: config.from.name ?? '', address: config.from.address },
    to: { name: recipient.name ?? '', address: recipient.address },
    ...(config.replyTo ? { replyTo: config.replyTo } : {}),
    ...(options.replyToExternalId
      ? { inReplyTo: options.replyToExternalId, references: [options.replyToExternalId] }
      : {}),
    subject,
    messageId: messageIdFor(options.messageId, config.from.address),
    headers: { 'X-Vestnik-Message-Id': options.messageId, 'Auto-Submitted': 'auto-generated' },
    text: textWithLinks(content.text, links),
    html: renderHtmlDocument({
      title: subject,
      text: content.text,
      links,
      images: images.map(({ image, contentId }) => ({ contentId, alt: image.fileName })),
    }),
    attachments: images.map(({ image, contentId }) => ({
      filename: image.fileName,
      content: image.data,
      contentType: image.mimeType,
      contentDisposition: 'inline' as const,
      cid: contentId,
    })),
  };
  return { ok: true, mail };
}
