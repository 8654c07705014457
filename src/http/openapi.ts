import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { type AnyRoute, registerRouteDoc } from './route-definition';

/** The OpenAPI 3.1 document of every /v1 route, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], serverUrl: string, version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`vst_…`) or an operator session token (`vss_…`) from POST /v1/auth/login.',
  });
  for (const route of routes) registerRouteDoc(registry, route, '/v1');
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Vestnik API',
      version,
      description:
        'Service notifications and a unified inbox over VK, OK, Telegram, Viber, WhatsApp, SMS and e-mail. Errors are application/problem+json with a stable `code` (see /docs/errors).',
    },
    servers: [{ url: serverUrl }],
  });
}
