import type { Connection } from 'mongoose';
import { GridFiles } from '../storage/grid-files';

export interface AttachmentMeta {
  workspaceId: string;
  channelId: string;
  eventId: string;
  kind: string;
  fileName: string;
  mimeType: string;
}

/**
 * Inbound files kept in GridFS (platform URLs expire). Reads are scoped to a workspace: an id of
 * another workspace is simply not found.
 */
export class AttachmentStore extends GridFiles<AttachmentMeta> {
  constructor(connection: Connection) {
    super(connection, 'attachments', (meta) => meta.fileName || 'file');
  }
}

/** Image types a browser may show inline; everything else (including SVG) is served as a download. */
const inlineImageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export function isInlineImage(mimeType: string): boolean {
  return inlineImageTypes.has(mimeType.toLowerCase());
}
