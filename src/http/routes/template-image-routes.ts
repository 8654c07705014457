import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import type { TemplateImageStore } from '../../templates/template-image-store';
import { checkTemplateImage } from '../../templates/template-images';
import { templateLimits } from '../../templates/template-limits';
import { type AnyRoute, defineRoute } from '../route-definition';
import { sendStoredFile } from '../send-file';
import { idParams } from './common-schemas';

const imageView = z
  .object({
    id: z.string().meta({ description: 'Put it in a template’s `images`' }),
    bytes: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    uploadedAt: z.string(),
  })
  .meta({ id: 'TemplateImage' });

/** Whatever the declared type (only the bytes are trusted), up to the template image limit. */
const readRaw = express.raw({ type: () => true, limit: templateLimits.imageMaxBytes });

async function imageBytes(req: Request, res: Response): Promise<Buffer> {
  if (req.is('application/json')) {
    throw new AppError('request.validation_failed', 'body: send the JPEG bytes themselves, not JSON', {
      errors: [{ path: 'body', message: 'send the JPEG bytes with Content-Type: image/jpeg' }],
    });
  }
  await new Promise<void>((resolve, reject) => {
    readRaw(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/**
 * Template images: uploaded once as raw JPEG bytes, checked from the bytes (JPEG only, ≤ 50 MB,
 * width + height ≤ 14000 px, no thinner than 1:20), then referenced by id from templates.
 */
export function templateImageRoutes(deps: { images: TemplateImageStore }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/template-images',
      summary:
        'Upload a template image: the body is the JPEG file itself (`Content-Type: image/jpeg`, not JSON). ' +
        'Checked from the bytes: JPEG only, at most 50 MB, width + height ≤ 14000 px, aspect ratio no ' +
        'thinner than 1:20; a broken rule is a 400 naming it (`images.format`, `images.maxBytes`, ' +
        '`images.dimensions`, `images.aspectRatio`, `images.unreadable`).',
      tag: 'templates',
      access: ['templates:write'],
      response: { status: 201, schema: imageView, description: 'The stored image' },
      errors: ['request.body_too_large'],
      async handle({ principal, req, res }) {
        const bytes = await imageBytes(req, res);
        const check = checkTemplateImage(bytes);
        if (!check.ok) {
          throw new AppError('request.validation_failed', `body: ${check.message}`, {
            errors: [{ path: 'body', message: `${check.rule}: ${check.message}` }],
          });
        }
        const size = { width: check.width, height: check.height };
        const id = await deps.images.put(bytes, { workspaceId: principal.workspaceId, ...size });
        return { id, bytes: bytes.length, ...size, uploadedAt: new Date().toISOString() };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/template-images/:id',
      summary: 'Download a template image',
      tag: 'templates',
      access: ['templates:read'],
      params: idParams,
      response: { status: 200, stream: true, mediaType: 'image/jpeg', description: 'The JPEG bytes' },
      errors: ['resource.not_found'],
      async handle({ principal, params, res }) {
        const image = await deps.images.find(principal.workspaceId, params.id);
        if (!image)
          throw new AppError('resource.not_found', `No template image ${params.id} in this workspace.`);
        await sendStoredFile(res, image, 'image/jpeg');
        return undefined;
      },
    }),
  ];
}
