import { createHmac } from 'node:crypto';
import type { SandboxClock } from './sandbox-clock';
import type { SeededRandom } from './seeded-random';

export interface StoredFile {
  id: string;
  data: Buffer;
  mimeType: string;
  fileName: string;
}

/**
 * Files virtual users send (photos, documents). Platforms hand out download URLs that expire; so
 * does the sandbox: `urlFor` signs an expiry one hour ahead, and `GET /_sandbox/files/:id` refuses
 * expired or forged links with 403.
 */
export class SandboxFileStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly signingKey: string;

  constructor(
    private readonly random: SeededRandom,
    private readonly clock: SandboxClock,
    private readonly baseUrl: () => string,
  ) {
    this.signingKey = random.token(32);
  }

  put(data: Buffer, mimeType: string, fileName: string): StoredFile {
    const file = { id: this.random.token(24), data, mimeType, fileName };
    this.files.set(file.id, file);
    return file;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  urlFor(id: string, ttlMs = 3_600_000): string {
    const expires = this.clock.nowMs() + ttlMs;
    return `${this.baseUrl()}/_sandbox/files/${id}?expires=${expires}&sig=${this.sign(id, expires)}`;
  }

  /** The file behind a signed link, or why not. */
  open(
    id: string,
    expires: string | undefined,
    sig: string | undefined,
  ): StoredFile | 'expired' | 'forbidden' | 'missing' {
    const file = this.files.get(id);
    if (!file) return 'missing';
    const expiresMs = Number(expires);
    if (!sig || !Number.isFinite(expiresMs) || sig !== this.sign(id, expiresMs)) return 'forbidden';
    return expiresMs < this.clock.nowMs() ? 'expired' : file;
  }

  private sign(id: string, expires: number): string {
    return createHmac('sha256', this.signingKey).update(`${id}:${expires}`).digest('hex').slice(0, 32);
  }
}

/** A tiny valid JPEG (1×1 px), for virtual users who "send a photo" without giving bytes. */
export const sampleJpeg = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/** A file's bytes, type and name, before it is stored. */
export interface FileContent {
  data: Buffer;
  mimeType: string;
  fileName: string;
}

/** What a virtual user sends when the control API gives no bytes, type or name (per attachment kind). */
export const sampleFiles: Readonly<Record<'photo' | 'document' | 'voice' | 'video', FileContent>> = {
  photo: { data: sampleJpeg, mimeType: 'image/jpeg', fileName: 'photo.jpg' },
  document: { data: Buffer.from('Sandbox document\n'), mimeType: 'text/plain', fileName: 'document.txt' },
  voice: { data: Buffer.from('OggS'), mimeType: 'audio/ogg', fileName: 'voice.ogg' },
  video: { data: Buffer.from('sandbox video'), mimeType: 'video/mp4', fileName: 'video.mp4' },
};
