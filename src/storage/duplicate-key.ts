import { mongo } from 'mongoose';

/**
 * A duplicate-key error (E11000), or a bulk insert whose every failure is one: what the loser
 * of a unique-index claim, or a second write of something already stored, gets. FerretDB v1
 * answers an update that breaks a unique index with an InternalError naming SQLite's UNIQUE
 * constraint instead (the document is left as it was): that counts too. The one check every
 * module uses.
 */
export function isDuplicateKey(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: Array<{ code?: number }> } | null)?.writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((e) => e.code === 11000);
  if (!(error instanceof mongo.MongoServerError)) return false;
  return error.code === 11000 || error.message.includes('UNIQUE constraint failed');
}
