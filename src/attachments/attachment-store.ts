import { Readable } from 'node:stream';
import { type Connection, mongo, Types } from 'mongoose';
import type { WorkspaceId } from '../storage/tenant-repository';

export interface AttachmentMeta {
  workspaceId: string;
  channelId: string;
  eventId: string;
  kind: string;
  fileName: string;
  mimeType: string;
}

export interface StoredAttachment {
  id: string;
  size: number;
  meta: AttachmentMeta;
  open(): Readable;
}

const bucketName = 'attachments';

/**
 * Inbound files kept in GridFS (platform URLs expire). Reads are scoped to a workspace: an id of
 * another workspace is simply not found.
 */
export class AttachmentStore {
  private readonly bucket: mongo.GridFSBucket;

  constructor(connection: Connection) {
    if (!connection.db) throw new Error('attachment store needs an open connection');
    this.bucket = new mongo.GridFSBucket(connection.db, { bucketName });
  }

  async put(data: Buffer, meta: AttachmentMeta): Promise<string> {
    const upload = this.bucket.openUploadStream(meta.fileName || 'file', { metadata: meta });
    await new Promise<void>((resolve, reject) => {
      Readable.from([data]).pipe(upload).on('finish', resolve).on('error', reject);
    });
    return String(upload.id);
  }

  async find(workspaceId: WorkspaceId, id: string): Promise<StoredAttachment | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const objectId = new Types.ObjectId(id);
    const [file] = await this.bucket
      .find({ _id: objectId, 'metadata.workspaceId': String(workspaceId) })
      .limit(1)
      .toArray();
    if (!file) return null;
    return {
      id,
      size: file.length,
      meta: file.metadata as AttachmentMeta,
      open: () => this.bucket.openDownloadStream(objectId),
    };
  }
}

/** Image types a browser may show inline; everything else (including SVG) is served as a download. */
const inlineImageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export function isInlineImage(mimeType: string): boolean {
  return inlineImageTypes.has(mimeType.toLowerCase());
}
