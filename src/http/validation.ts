import type { z } from 'zod';
import { AppError, type FieldError } from '../errors/app-error';

/** Where the input was: a request part, or a path inside one (`body.items.3` of a batch). */
export type InputLocation = 'params' | 'query' | 'body' | 'headers' | `body.${string}`;

/** The 400 naming every offending field; its detail is the first one. Throw it when `errors` is not empty. */
export function validationFailed(errors: FieldError[]): AppError {
  const first = errors[0];
  return new AppError(
    'request.validation_failed',
    first ? `${first.path}: ${first.message}` : 'Invalid request.',
    { errors },
  );
}

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
  throw validationFailed(errors);
}
