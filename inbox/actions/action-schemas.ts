import { z } from 'zod';

/** A conversation id as actions take it; a malformed one is simply not found (404), like a foreign one. */
export const conversationIdSchema = z.string().min(1).max(64);

/** Tags: trimmed, lowercase, each 1–40 characters, at most 20, duplicates dropped. */
export const tagsSchema = z
  .array(z.string().trim().toLowerCase().min(1).max(40))
  .max(20)
  .transform((tags) => [...new Set(tags)]);

/** Free text an operator writes (notes, replies): trimmed, not empty. */
export const operatorTextSchema = z.string().trim().min(1).max(10_000);
