import { mongo } from 'mongoose';

/**
 * A duplicate-key error (E11000), or a bulk insert whose every failure is one: what the loser
 * of a unique-index claim, or a second write of something already stored, gets. The one check
 * every module uses.
 */
export function isDuplicateKey(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: Array<{ code?: number }> } | null)?.writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((e) => e.code === 11000);
  return error instanceof mongo.MongoServerError && error.code === 11000;
}
