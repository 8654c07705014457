import type { Connection } from 'mongoose';
import { type GridFile, GridFiles } from '../storage/grid-files';
import type { WorkspaceId } from '../storage/tenant-repository';

/** What is kept with an uploaded template image; the bytes passed `checkTemplateImage`. */
export interface TemplateImageMeta {
  workspaceId: string;
  width: number;
  height: number;
}

export type StoredTemplateImage = GridFile<TemplateImageMeta>;

/**
 * Template images (JPEG bytes that passed the template image rules) in GridFS, bucket
 * `templateImages`, apart from customers' files, so only checked images can be referenced.
 * Every read is scoped to a workspace. Not promised: deletion (a version may reference them).
 */
export class TemplateImageStore {
  private readonly files: GridFiles<TemplateImageMeta>;

  constructor(connection: Connection) {
    this.files = new GridFiles(connection, 'templateImages');
  }

  put(workspaceId: WorkspaceId, bytes: Buffer, size: { width: number; height: number }): Promise<string> {
    return this.files.put(bytes, 'image.jpg', { workspaceId: String(workspaceId), ...size });
  }

  find(workspaceId: WorkspaceId, id: string): Promise<StoredTemplateImage | null> {
    return this.files.find(workspaceId, id);
  }

  /** The ids among `ids` that are not images of this workspace (malformed ids included). */
  missing(workspaceId: WorkspaceId, ids: readonly string[]): Promise<string[]> {
    return this.files.missing(workspaceId, ids);
  }
}
