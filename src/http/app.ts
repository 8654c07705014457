import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { InboxLayer } from '../../inbox/inbox-layer';
import { createLoginThrottle } from '../auth/login-throttle';
import type { ChannelLayer } from '../channels/channel-layer';
import type { Config } from '../config/env-schema';
import type { Logger } from '../logging/logger';
import type { NotificationLayer } from '../notifications/notification-layer';
import { createTokenBucket } from '../rate-limits/token-bucket';
import type { Models } from '../storage/models';
import { createTemplateLayer } from '../templates/template-layer';
import type { WebhooksLayer } from '../webhooks-out/webhooks-layer';
import { createWorkspaceDirectory } from '../workspaces/workspace-directory';
import { accessLog } from './access-log';
import type { Authenticator } from './authenticate';
import { docsRoutes } from './docs-routes';
import type { HttpMetrics } from './http-metrics';
import { createIdempotency } from './idempotency';
import { buildOpenApiDocument } from './openapi';
import { createErrorHandler, notFoundHandler } from './problem';
import { requestId } from './request-id';
import { observeRequests } from './request-observer';
import { createRequestRateLimit, rateLimitedAuthenticator } from './request-rate-limit';
import { type AnyRoute, mountRoute, mountTextBodyParsers } from './route-definition';
import { apiKeyRoutes } from './routes/api-key-routes';
import { attachmentRoutes } from './routes/attachment-routes';
import { authRoutes } from './routes/auth-routes';
import { channelRoutes } from './routes/channel-routes';
import { healthRoutes } from './routes/health-routes';
import { notificationRoutes } from './routes/notification-routes';
import { operatorRoutes } from './routes/operator-routes';
import { templateImageRoutes } from './routes/template-image-routes';
import { templateRoutes } from './routes/template-routes';
import { usageRoutes } from './routes/usage-routes';
import { webhookEndpointRoutes } from './routes/webhook-endpoint-routes';
import { workspaceRoutes } from './routes/workspace-routes';
import { jsonApiHeaders, securityHeaders } from './security-headers';
import { webUi } from './web-ui';
import { webhookIngress } from './webhook-ingress';

export interface AppDeps {
  config: Config;
  logger: Logger;
  models: Models;
  mongo: Connection;
  redis: Redis;
  /** Resolves credentials; shared with the socket.io gateway. */
  auth: Authenticator;
  metrics: HttpMetrics;
  /** Called when a key is revoked or a session ends, so every node drops its caches and sockets. */
  onCredentialRevoked(credentialId: string): Promise<void>;
  publicUrl: string;
  version: string;
  /** Channels, adapters, channel events and files. */
  channels: ChannelLayer;
  /** Service notifications: accepting, reading, and (worker role) sending them. */
  notifications: NotificationLayer;
  /** Outbound webhooks: `webhooks.events` is what modules publish business events through. */
  webhooks: WebhooksLayer;
  /** The unified inbox: its routes are mounted here. */
  inbox: InboxLayer;
}

export function apiRoutes(deps: AppDeps): AnyRoute[] {
  return [
    ...authRoutes({
      models: deps.models,
      sessionTtlSeconds: deps.config.SESSION_TTL_SECONDS,
      secureCookies: deps.publicUrl.startsWith('https://'),
      throttle: createLoginThrottle(deps.redis, deps.config.QUEUE_PREFIX),
      onCredentialRevoked: deps.onCredentialRevoked,
    }),
    ...workspaceRoutes({
      workspaces: createWorkspaceDirectory(deps.models, deps.config.AUTH_CACHE_MS),
      models: deps.models,
    }),
    ...apiKeyRoutes({ models: deps.models, onCredentialRevoked: deps.onCredentialRevoked }),
    ...operatorRoutes(deps),
    ...channelRoutes({ channels: deps.channels.service }),
    ...attachmentRoutes({ attachments: deps.channels.attachments }),
    ...templateRoutesOf(deps),
    ...notificationRoutes({ notifications: deps.notifications.service }),
    ...deps.inbox.ingest.contactRoutes,
    ...deps.inbox.routes,
    ...webhookEndpointRoutes(deps.webhooks),
    ...usageRoutes({ models: deps.models }),
  ];
}

function templateRoutesOf(deps: AppDeps): AnyRoute[] {
  const { models, mongo, logger } = deps;
  const { runtime } = deps.channels;
  const templates = createTemplateLayer({ models, mongo, logger, runtime, events: deps.webhooks.events });
  return [...templateRoutes({ templates: templates.service }), ...templateImageRoutes(templates)];
}

/** Every authenticated /v1 request is charged to its credential (API_RATE_LIMIT_*). */
function requestRateLimitOf(deps: AppDeps) {
  return createRequestRateLimit({
    bucket: createTokenBucket({ redis: deps.redis }),
    prefix: deps.config.QUEUE_PREFIX,
    perSecond: deps.config.API_RATE_LIMIT_PER_SECOND,
    burst: deps.config.API_RATE_LIMIT_BURST,
    logger: deps.logger.child({ module: 'vestnik:http' }),
  });
}

/** The HTTP app: health and metrics, docs, and the /v1 API. Every error leaves as problem+json. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(requestId);
  app.use(observeRequests([deps.metrics.observe, accessLog(deps.logger.child({ module: 'vestnik:http' }))]));
  app.use(securityHeaders(jsonApiHeaders));
  app.use(
    healthRoutes({
      mongo: deps.mongo,
      redis: deps.redis,
      metricsRegistry: deps.metrics.registry,
      metricsToken: deps.config.METRICS_TOKEN,
    }),
  );
  app.use(docsRoutes());
  app.use(
    webhookIngress({
      models: deps.models,
      runtime: deps.channels.runtime,
      eventsQueue: deps.channels.eventsQueue,
      bodyLimit: deps.config.HTTP_BODY_LIMIT,
      logger: deps.logger,
    }),
  );

  const routes = apiRoutes(deps);
  const openApi = buildOpenApiDocument(routes, deps.publicUrl, deps.version);
  const v1 = express.Router();
  mountTextBodyParsers(v1, routes);
  const parseJson = express.json({
    limit: deps.config.HTTP_BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
  });
  v1.use((req, res, next) => {
    // API answers are per-caller and often secret: never cached, and no ETag work on every response.
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'GET' || req.method === 'HEAD') next();
    else parseJson(req, res, next);
  });
  v1.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  const idempotency = createIdempotency({ model: deps.models.IdempotencyKey, logger: deps.logger });
  const auth = rateLimitedAuthenticator(deps.auth, requestRateLimitOf(deps));
  for (const route of routes) mountRoute(v1, route, auth, idempotency);
  app.use('/v1', v1);
  app.use(webUi({ publicUrl: deps.publicUrl }));

  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger.child({ module: 'vestnik:http' })));
  return app;
}
