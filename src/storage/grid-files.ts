import { Readable } from 'node:stream';
import { type Connection, mongo, Types } from 'mongoose';
import type { WorkspaceId } from './tenant-repository';

/** One stored file; `open()` streams its bytes. */
export interface GridFile<Meta> {
  id: string;
  size: number;
  meta: Meta;
  uploadedAt: Date;
  open(): Readable;
}

/** The ObjectId an id spells exactly (its canonical 24-hex form), or null. */
function objectIdOf(id: string): Types.ObjectId | null {
  if (!Types.ObjectId.isValid(id)) return null;
  const objectId = new Types.ObjectId(id);
  return String(objectId) === id ? objectId : null;
}

/**
 * Workspace-owned files in one GridFS bucket: each file's metadata carries its `workspaceId`, and
 * every read is scoped to a workspace, so an id of another workspace is simply not found.
 * Stores extend it with their bucket name and how a file is named from its metadata.
 */
export class GridFiles<Meta extends { workspaceId: string }> {
  private readonly bucket: mongo.GridFSBucket;

  constructor(
    connection: Connection,
    bucketName: string,
    private readonly fileNameOf: (meta: Meta) => string,
  ) {
    if (!connection.db) throw new Error(`GridFS bucket ${bucketName} needs an open connection`);
    this.bucket = new mongo.GridFSBucket(connection.db, { bucketName });
  }

  async put(data: Buffer, metadata: Meta): Promise<string> {
    const upload = this.bucket.openUploadStream(this.fileNameOf(metadata), { metadata });
    await new Promise<void>((resolve, reject) => {
      Readable.from([data]).pipe(upload).on('finish', resolve).on('error', reject);
    });
    return String(upload.id);
  }

  async find(workspaceId: WorkspaceId, id: string): Promise<GridFile<Meta> | null> {
    const objectId = objectIdOf(id);
    if (!objectId) return null;
    const [file] = await this.bucket
      .find({ _id: objectId, 'metadata.workspaceId': String(workspaceId) })
      .limit(1)
      .toArray();
    if (!file) return null;
    return {
      id,
      size: file.length,
      meta: file.metadata as Meta,
      uploadedAt: file.uploadDate,
      open: () => this.bucket.openDownloadStream(objectId),
    };
  }

  /** The ids among `ids` that are not files of this workspace (malformed ids included). */
  async missing(workspaceId: WorkspaceId, ids: readonly string[]): Promise<string[]> {
    const valid = ids.map(objectIdOf).filter((objectId) => objectId !== null);
    const found =
      valid.length === 0
        ? []
        : await this.bucket
            .find({ _id: { $in: valid }, 'metadata.workspaceId': String(workspaceId) })
            .project({ _id: 1 })
            .toArray();
    const present = new Set(found.map((file) => String(file._id)));
    return ids.filter((id) => !present.has(id));
  }
}
