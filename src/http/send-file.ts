import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { GridFile } from '../storage/grid-files';

/**
 * Streams a stored file as the answer of a `stream: true` route: 200, its type and length,
 * `nosniff` (the browser never guesses another type) and any extra headers. Resolves when the
 * last byte is written; rejects if reading or writing fails.
 */
export async function sendStoredFile(
  res: Response,
  file: Pick<GridFile<unknown>, 'size' | 'open'>,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  await pipeline(file.open(), res);
}
