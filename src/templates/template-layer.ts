import type { Connection } from 'mongoose';
import type { Logger } from '../logging/logger';
import type { Models } from '../storage/models';
import type { BusinessEvents } from '../webhooks-out/business-events';
import { PlatformModeration, type PlatformModerationDeps } from './platform-moderation';
import { TemplateImageStore } from './template-image-store';
import { TemplateService } from './template-service';

export interface TemplateLayer {
  service: TemplateService;
  images: TemplateImageStore;
  /** Platform submissions and polls; the worker role runs `startTemplateModeration` with it. */
  moderation: PlatformModeration;
}

export interface TemplateLayerOptions {
  models: Models;
  mongo: Connection;
  /** The channel layer's runtime (adapters). */
  runtime: PlatformModerationDeps['runtime'];
  logger: Logger;
  /** `template.moderated` goes here; left out, no webhook is published. */
  events?: BusinessEvents;
}

/** Templates, their images and their platform moderation, wired once per process. */
export function createTemplateLayer(options: TemplateLayerOptions): TemplateLayer {
  const logger = options.logger.child({ module: 'vestnik:templates' });
  const { models, events } = options;
  const moderation = new PlatformModeration({ models, runtime: options.runtime, logger, events });
  const images = new TemplateImageStore(options.mongo);
  const service = new TemplateService(models, { events, logger, platform: moderation, images });
  return { service, images, moderation };
}
