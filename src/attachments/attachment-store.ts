import type { Connection } from 'mongoose';
import { type GridFile, GridFiles } from '../storage/grid-files';
import type { WorkspaceId } from '../storage/tenant-repository';

export interface AttachmentMeta {
  workspaceId: string;
  channelId: string;
  eventId: string;
  kind: string;
  fileName: string;
  mimeType: string;
}

export type StoredAttachment = GridFile<AttachmentMeta>;

/**
 * Inbound files kept in GridFS (platform URLs expire). Reads are scoped to a workspace: an id of
 * another workspace is simply not found.
 */
export class AttachmentStore {
  private readonly files: GridFiles<AttachmentMeta>;

  constructor(connection: Connection) {
    this.files = new GridFiles(connection, 'attachments');
  }

  put(data: Buffer, meta: AttachmentMeta): Promise<string> {
    return this.files.put(data, meta.fileName || 'file', meta);
  }

  find(workspaceId: WorkspaceId, id: string): Promise<StoredAttachment | null> {
    return this.files.find(workspaceId, id);
  }
}

/** Image types a browser may show inline; everything else (including SVG) is served as a download. */
const inlineImageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export function isInlineImage(mimeType: string): boolean {
  return inlineImageTypes.has(mimeType.toLowerCase());
}
