import { Fragment, type ReactNode } from 'react';

const urlPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const trailingPunctuation = /[.,;:!?)\]}»"']+$/;

/** Only http(s) URLs that parse become links; everything else stays plain text. */
function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Customer (and operator) text, rendered as React text nodes — never as HTML. http(s) links become
 * anchors that open in a new tab without referrer or opener.
 */
export function LinkifiedText({ text }: { text: string }): ReactNode {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index ?? 0;
    const raw = match[0];
    const trimmed = raw.replace(trailingPunctuation, '');
    const href = safeHref(trimmed);
    if (!href) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={href} target="_blank" rel="noopener noreferrer nofollow">
        {trimmed}
      </a>,
    );
    last = start + trimmed.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <Fragment>{parts}</Fragment>;
}
