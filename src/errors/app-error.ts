import { type ErrorCode, errorCatalog } from './catalog';

export interface FieldError {
  /** Dotted path of the offending field, prefixed by where it was: `body.to.phone`, `query.limit`. */
  path: string;
  message: string;
  /** For a problem in an uploaded file (a bot flow): the file, and `path` is inside it. */
  file?: string;
  /** 1-based line and column in `file`. */
  line?: number;
  column?: number;
}

/** An error the API answers with as application/problem+json. Carries a stable catalog code. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly options: { errors?: FieldError[]; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(`${code}: ${detail}`, { cause: options.cause });
    this.status = errorCatalog[code].status;
  }
}
