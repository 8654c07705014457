import busboy from 'busboy';
import type { Request } from 'express';
import { BotApiError, botApiErrors } from './bot-api-errors';

/** A file part of a multipart request. */
export interface UploadedFile {
  data: Buffer;
  fileName: string;
  mimeType: string;
}

type FieldValue = string | number | boolean | object | null;

/**
 * A Bot API call's parameters. "Parameters can be passed in URL query string,
 * application/x-www-form-urlencoded, application/json or multipart/form-data"
 * (https://core.telegram.org/bots/api#making-requests): form values arrive as strings, so numbers and
 * JSON-serialized objects (reply_markup, allowed_updates…) are accepted either way.
 */
export class RequestParams {
  constructor(
    private readonly fields: Readonly<Record<string, FieldValue>>,
    private readonly files: ReadonlyMap<string, UploadedFile>,
  ) {}

  has(name: string): boolean {
    return Object.hasOwn(this.fields, name) || this.files.has(name);
  }

  string(name: string): string | undefined {
    const value = Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
    if (value === undefined || value === null) return undefined;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined || value === '') return undefined;
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw botApiErrors.parameterInvalid(name);
    return number;
  }

  boolean(name: string): boolean {
    const value = this.string(name);
    return value === 'true' || value === '1';
  }

  /** A JSON-serialized parameter, already an object in JSON bodies. */
  json(name: string, onError: BotApiError = botApiErrors.jsonUnparsable(name)): unknown {
    const value = Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
    if (value === undefined || value === null || typeof value !== 'string') return value ?? undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw onError;
    }
  }

  file(name: string): UploadedFile | undefined {
    return this.files.get(name);
  }
}

const multipartLimits = { fieldSize: 1024 * 1024, fields: 100, files: 10, fileSize: 60 * 1024 * 1024 };

interface MultipartBody {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

function parseMultipart(req: Request, body: Buffer): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files = new Map<string, UploadedFile>();
    const reading: Array<Promise<void>> = [];
    const parser = busboy({ headers: req.headers, limits: multipartLimits });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      reading.push(
        new Promise((done) =>
          stream.on('end', () => {
            files.set(name, {
              data: Buffer.concat(chunks),
              fileName: info.filename ?? name,
              mimeType: info.mimeType,
            });
            done();
          }),
        ),
      );
    });
    parser.on('close', () => void Promise.all(reading).then(() => resolve({ fields, files })));
    parser.on('error', () => reject(new BotApiError(400, 'Bad Request: invalid multipart/form-data')));
    parser.end(body);
  });
}

const isRecord = (value: unknown): value is Record<string, FieldValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/** Reads the parameters of one request: query string, then the body (JSON, form or multipart). */
export async function readParams(req: Request): Promise<RequestParams> {
  const query = isRecord(req.query) ? req.query : {};
  if (Buffer.isBuffer(req.body)) {
    const multipart = await parseMultipart(req, req.body);
    return new RequestParams({ ...query, ...multipart.fields }, multipart.files);
  }
  const body = isRecord(req.body) ? req.body : {};
  return new RequestParams({ ...query, ...body }, new Map());
}
