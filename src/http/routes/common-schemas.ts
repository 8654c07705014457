import { z } from 'zod';

/** A MongoDB ObjectId in a path. Anything else is a 404 (not a 400), so ids reveal nothing. */
export const idParams = z.object({ id: z.string().max(64).meta({ description: 'Resource id' }) });

export const limitQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size (1-200)' }),
});
