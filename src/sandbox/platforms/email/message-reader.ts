import { type ParsedMail, simpleParser } from 'mailparser';
import type { SMTPServerDataStream } from 'smtp-server';
import type { ReceivedMessage } from '../../virtual-users';

/** The DATA of one transaction: the raw bytes, or how many bytes there were past the limit. */
export type ReadData = { oversized: false; raw: Buffer } | { oversized: true; bytes: number };

/** Reads the DATA stream, keeping at most `limit` bytes (the rest is drained, never buffered). */
export function readData(stream: SMTPServerDataStream, limit: number): Promise<ReadData> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () =>
      resolve(
        stream.sizeExceeded || bytes > limit
          ? { oversized: true, bytes }
          : { oversized: false, raw: Buffer.concat(chunks) },
      ),
    );
  });
}

/** Parses a message as mailparser does for any mail client; `cid:` image links kept as they are. */
export function parseMessage(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
}

const namedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the HTML character references a link's label or href may hold. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

const anchorPattern = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi;

/**
 * The links a reader sees in the HTML part, as link buttons: every `<a href>` with its text.
 * A mail client shows no other kind of button.
 */
export function linksIn(html: string): ReceivedMessage['buttons'] {
  return [...html.matchAll(anchorPattern)].map((match) => ({
    kind: 'link' as const,
    url: decodeEntities(match[1] ?? match[2] ?? ''),
    label: decodeEntities((match[3] ?? '').replace(/<[^>]*>/g, '')).trim(),
  }));
}

/** The images a reader sees: attachments of an image type, inline or not. */
export function imagesIn(parsed: ParsedMail): ReceivedMessage['images'] {
  return parsed.attachments
    .filter((attachment) => attachment.contentType.startsWith('image/'))
    .map((attachment) => ({ mimeType: attachment.contentType, size: attachment.size }));
}

const unfold = (value: string): string => value.replace(/\r?\n[ \t]+/g, ' ').trim();

/** Header name → value as sent (unfolded, still encoded), for the request log. */
export function headersOf(parsed: ParsedMail): Record<string, string> {
  return Object.fromEntries(
    parsed.headerLines.map((header) => [header.key, unfold(header.line.slice(header.line.indexOf(':') + 1))]),
  );
}
