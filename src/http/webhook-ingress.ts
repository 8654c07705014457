import type { Queue } from 'bullmq';
import express, { type Request, type Response, type Router } from 'express';
import { isValidObjectId } from 'mongoose';
import type { WebhookRequest, WebhookResult } from '../../adapters/contract';
import { recordEvents } from '../channels/channel-events';
import type { ChannelRuntime } from '../channels/channel-runtime';
import { AppError } from '../errors/app-error';
import type { ErrorCode } from '../errors/catalog';
import type { Logger } from '../logging/logger';
import type { Models } from '../storage/models';

export interface WebhookIngressDeps {
  models: Models;
  runtime: ChannelRuntime;
  eventsQueue: Queue;
  bodyLimit: string;
  logger: Logger;
}

const rejectionCodes: Record<400 | 401 | 403, ErrorCode> = {
  400: 'webhook.malformed',
  401: 'webhook.unauthorized',
  403: 'webhook.forbidden',
};

function toWebhookRequest(req: Request): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) if (typeof value === 'string') query[name] = value;
  return {
    method: req.method === 'GET' ? 'GET' : 'POST',
    headers,
    query,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    remoteAddress: req.ip ?? req.socket.remoteAddress ?? '',
  };
}

/**
 * `POST /webhooks/:channelId` (and `GET` for WhatsApp verification). Thin by design: the adapter
 * verifies the raw bytes first (nothing is stored on failure), events are stored under their unique
 * key (duplicates dropped), queued, and the platform gets its exact expected answer. Processing
 * runs in the channel-events worker.
 */
export function webhookIngress(deps: WebhookIngressDeps): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: deps.bodyLimit });
  const logger = deps.logger.child({ module: 'vestnik:webhooks' });
  const handle = async (req: Request, res: Response): Promise<void> => {
    const channelId = String(req.params.channelId);
    const channel = isValidObjectId(channelId) ? await deps.runtime.lookup(channelId) : null;
    if (!channel) throw new AppError('resource.not_found', 'No such channel.');
    const adapter = deps.runtime.adapterFor(channel);
    let result: WebhookResult;
    try {
      result = await adapter.handleWebhook(toWebhookRequest(req));
    } catch (error) {
      logger.error(
        { err: error, channelId, type: channel.type },
        'adapter failed on a webhook; answered 400',
      );
      result = { outcome: 'rejected', status: 400, reason: 'the payload could not be processed' };
    }
    if (result.outcome === 'rejected') {
      logger.warn(
        { channelId, type: channel.type, status: result.status, reason: result.reason },
        'webhook rejected',
      );
      throw new AppError(rejectionCodes[result.status], result.reason);
    }
    const source = { channelId: channel._id, workspaceId: channel.workspaceId };
    const { stored, duplicates } = await recordEvents(
      deps.models,
      deps.eventsQueue,
      source,
      result.events,
      req.method === 'POST' ? (req.body as Buffer) : null,
    );
    logger.debug({ channelId, type: channel.type, stored, duplicates }, 'webhook accepted');
    res.status(result.response.status).type(result.response.contentType).send(result.response.body);
  };
  router.get('/webhooks/:channelId', handle);
  router.post('/webhooks/:channelId', raw, handle);
  return router;
}
