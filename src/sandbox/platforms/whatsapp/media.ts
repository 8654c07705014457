import { createHash } from 'node:crypto';
import busboy from 'busboy';
import type { SandboxContext } from '../../sandbox-platform';
import type { WhatsappAccount } from './accounts';

/** A media object: a file in the sandbox file store, owned by one business phone number. */
export interface SandboxMedia {
  id: string;
  fileId: string;
  phoneNumberId: string;
  mimeType: string;
  fileName: string;
  /** Base64 SHA-256, as webhooks and `GET /{media-id}` give it. */
  sha256: string;
  size: number;
}

/** Upload limits by type ("Supported media types", Cloud API media reference). */
export const uploadLimits: Readonly<Record<string, number>> = {
  'image/jpeg': 5 * 1024 * 1024,
  'image/png': 5 * 1024 * 1024,
  'image/webp': 500 * 1024,
  'audio/ogg': 16 * 1024 * 1024,
  'audio/mpeg': 16 * 1024 * 1024,
  'video/mp4': 16 * 1024 * 1024,
  'application/pdf': 100 * 1024 * 1024,
  'text/plain': 100 * 1024 * 1024,
};

/** Media URLs live 5 minutes ("Retrieve media URL"). */
const mediaUrlTtlMs = 5 * 60_000;

export class WhatsappMediaStore {
  private readonly media = new Map<string, SandboxMedia>();

  constructor(private readonly context: SandboxContext) {}

  put(account: WhatsappAccount, data: Buffer, mimeType: string, fileName: string): SandboxMedia {
    const file = this.context.files.put(data, mimeType, fileName);
    const media: SandboxMedia = {
      id: `${this.context.random.int(100_000_000, 999_999_999)}${this.context.random.int(1_000_000, 9_999_999)}`,
      fileId: file.id,
      phoneNumberId: account.phoneNumberId,
      mimeType,
      fileName,
      sha256: createHash('sha256').update(data).digest('base64'),
      size: data.length,
    };
    this.media.set(media.id, media);
    return media;
  }

  get(id: string): SandboxMedia | undefined {
    return this.media.get(id);
  }

  /**
   * `GET /{media-id}` answer. The URL mimics Meta's lookaside link and carries the file store's
   * signed expiry; downloading it needs the bearer token as well.
   */
  describe(media: SandboxMedia): object {
    const signed = new URL(this.context.files.urlFor(media.fileId, mediaUrlTtlMs));
    const url = new URL(`${this.context.baseUrl()}/whatsapp/whatsapp_business/attachments/`);
    url.searchParams.set('mid', media.id);
    url.searchParams.set('ext', signed.searchParams.get('expires') ?? '0');
    url.searchParams.set('hash', signed.searchParams.get('sig') ?? '');
    return {
      url: url.toString(),
      mime_type: media.mimeType,
      sha256: media.sha256,
      file_size: String(media.size),
      id: media.id,
      messaging_product: 'whatsapp',
    };
  }
}

export interface MultipartUpload {
  fields: Record<string, string>;
  file: { data: Buffer; mimeType: string; fileName: string } | null;
}

/** Parses a `multipart/form-data` body (the sandbox hands it over raw). */
export function parseMultipart(contentType: string, body: Buffer): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    const upload: MultipartUpload = { fields: {}, file: null };
    const parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1 } });
    parser.on('field', (name, value) => {
      upload.fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        upload.file = {
          data: Buffer.concat(chunks),
          mimeType: info.mimeType,
          fileName: info.filename ?? 'file',
        };
      });
    });
    parser.on('close', () => resolve(upload));
    parser.on('error', reject);
    parser.end(body);
  });
}
