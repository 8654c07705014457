import { mongo } from 'mongoose';

/**
 * A duplicate-key error (E11000), or a bulk insert whose every failure is one: what a second
 * write of an already stored event, delivery, attempt or secret gets.
 */
export function isDuplicateKey(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: Array<{ code?: number }> } | null)?.writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((e) => e.code === 11000);
  return error instanceof mongo.MongoServerError && error.code === 11000;
}
