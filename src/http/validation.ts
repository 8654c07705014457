import type { z } from 'zod';
import { AppError, type FieldError } from '../errors/app-error';

export type InputLocation = 'params' | 'query' | 'body' | 'headers';

/** Parses one part of a request; failures become a 400 naming every offending field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: InputLocation,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = errors[0];
  throw new AppError(
    'request.validation_failed',
    first ? `${first.path}: ${first.message}` : 'Invalid request.',
    {
      errors,
    },
  );
}
