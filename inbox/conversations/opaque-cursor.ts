import type { z } from 'zod';
import { validationFailed } from '../../src/http/validation';

/**
 * Opaque page cursors: base64url JSON the client hands back unchanged. A cursor that does not
 * decode or does not match `schema` is a 400 on `query.cursor`, never a 500.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor this API gave out' }]);
  }
  return parsed.data;
}
