import contentDisposition from 'content-disposition';
import { type AttachmentStore, isInlineImage } from '../../attachments/attachment-store';
import { AppError } from '../../errors/app-error';
import { type AnyRoute, defineRoute } from '../route-definition';
import { sendStoredFile } from '../send-file';
import { idParams } from './common-schemas';

/**
 * Files customers sent. Images are shown inline; every other type is a download
 * (`Content-Disposition: attachment`), and `nosniff` stops the browser guessing otherwise.
 */
export function attachmentRoutes(deps: { attachments: AttachmentStore }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/attachments/:id',
      summary: 'Download a file a customer sent',
      tag: 'inbox',
      access: ['inbox:read'],
      params: idParams,
      response: {
        status: 200,
        stream: true,
        mediaType: 'application/octet-stream',
        description: 'The file bytes',
      },
      errors: ['resource.not_found'],
      async handle({ principal, params, res }) {
        const file = await deps.attachments.find(principal.workspaceId, params.id);
        if (!file) throw new AppError('resource.not_found', `No attachment ${params.id} in this workspace.`);
        const inline = isInlineImage(file.meta.mimeType);
        await sendStoredFile(
          res,
          file,
          inline ? file.meta.mimeType : file.meta.mimeType || 'application/octet-stream',
          {
            'Content-Security-Policy': "default-src 'none'; sandbox",
            'Content-Disposition': contentDisposition(file.meta.fileName || 'file', {
              type: inline ? 'inline' : 'attachment',
            }),
          },
        );
        return undefined;
      },
    }),
  ];
}
