import type { Connection } from 'mongoose';
import { GridFiles } from '../storage/grid-files';

/** What is kept with an uploaded template image; the bytes passed `checkTemplateImage`. */
export interface TemplateImageMeta {
  workspaceId: string;
  width: number;
  height: number;
}

/**
 * Template images (JPEG bytes that passed the template image rules) in GridFS, bucket
 * `templateImages`, apart from customers' files, so only checked images can be referenced.
 * Every read is scoped to a workspace. Not promised: deletion (a version may reference them).
 */
export class TemplateImageStore extends GridFiles<TemplateImageMeta> {
  constructor(connection: Connection) {
    super(connection, 'templateImages', () => 'image.jpg');
  }
}
