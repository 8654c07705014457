/**
 * The HTML part of an e-mail. Every piece of text we put in it is HTML-escaped: the text is the
 * business's (or a customer's, quoted) words, never markup, so `<script>` arrives as `&lt;script&gt;`.
 */

const htmlEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/** Escaped text with its line breaks kept (`<br>`), for an element's content. */
export function escapeMultiline(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(escapeHtml)
    .join('<br>\n');
}

export interface HtmlLink {
  label: string;
  /** Already checked to be an absolute http(s) URL. */
  url: string;
}

export interface HtmlImage {
  contentId: string;
  alt: string;
}

const buttonStyle =
  'display:inline-block;margin:4px 8px 4px 0;padding:10px 18px;border-radius:6px;' +
  'background:#1a73e8;color:#ffffff;text-decoration:none;font-weight:600';

const renderButton = (link: HtmlLink): string =>
  `<a href="${escapeHtml(link.url)}" style="${buttonStyle}" target="_blank" rel="noopener">${escapeHtml(link.label)}</a>`;

const renderImage = (image: HtmlImage): string =>
  `<p><img src="cid:${escapeHtml(image.contentId)}" alt="${escapeHtml(image.alt)}" style="max-width:100%;height:auto"></p>`;

/** A complete, minimal HTML document: title, text, image(s), then a row of link buttons. */
export function renderHtmlDocument(input: {
  title: string;
  text: string;
  links: readonly HtmlLink[];
  images: readonly HtmlImage[];
}): string {
  const buttons = input.links.length === 0 ? '' : `<p>${input.links.map(renderButton).join('\n')}</p>\n`;
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title></head>`,
    '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#202124">',
    `<div>${escapeMultiline(input.text)}</div>`,
    `${input.images.map(renderImage).join('\n')}${buttons}</body></html>`,
  ].join('\n');
}
