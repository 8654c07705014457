import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Scope } from '../auth/scopes';
import { AppError } from '../errors/app-error';
import { type ErrorCode, errorCatalog } from '../errors/catalog';
import { type Authenticator, requireScopes } from './authenticate';
import {
  type Idempotency,
  idempotencyHeaders,
  idempotentReplayedHeader,
  type RouteResponse,
} from './idempotency';
import { problemSchema } from './problem';
import { parseInput } from './validation';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type EmptyObject = z.ZodObject<Record<string, never>>;

interface HandlerContext<P, Q, B, Auth> {
  params: P;
  query: Q;
  body: B;
  principal: Auth;
  req: Request;
  res: Response;
  /** Answers with `response.alsoStatus` instead of `response.status` (e.g. 200 for a no-op create). */
  answerAlsoStatus(): void;
}

/** A body that is a file read as text, not JSON: its accepted media types and size limit. */
export interface TextBody {
  mediaTypes: readonly string[];
  /** body-parser size, e.g. `256kb`. */
  limit: string;
}

/**
 * One route: its zod schemas are used both to validate requests and to generate the OpenAPI
 * document, so the two cannot drift. `access` is either the scopes required or `public`.
 */
export interface RouteDefinition<
  P extends z.ZodType = EmptyObject,
  Q extends z.ZodType = EmptyObject,
  B extends z.ZodType = EmptyObject,
  R extends z.ZodType = z.ZodType,
  A extends 'public' | readonly Scope[] = readonly Scope[],
> {
  method: Method;
  /** Express-style path under /v1, e.g. `/api-keys/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The body is read as text (the route's `body` schema then validates that string), parsed
   * before and instead of the JSON parser (see `mountTextBodyParsers`).
   */
  textBody?: TextBody;
  response:
    | {
        status: 200 | 201 | 202;
        schema: R;
        description: string;
        /** Another success status with the same schema, picked by the handler (`answerAlsoStatus`). */
        alsoStatus?: { status: 200 | 201 | 202; description: string };
      }
    | { status: 204; description: string }
    /** The handler streams the body itself (files); `mediaType` documents it. */
    | { status: 200; stream: true; mediaType: string; description: string };
  /** Error codes this route can answer with, besides validation and auth (documented in OpenAPI). */
  errors?: readonly ErrorCode[];
  /**
   * Honour the `Idempotency-Key` header (see `Idempotency` in idempotency.ts for what that
   * promises). Only for authenticated POST routes that answer JSON or 204, not streams.
   */
  idempotent?: true;
  handle(
    ctx: HandlerContext<
      z.output<P>,
      z.output<Q>,
      z.output<B>,
      A extends 'public' ? Principal | undefined : Principal
    >,
  ): Promise<z.input<R> | undefined>;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of routes; each is checked where it is defined.
export type AnyRoute = RouteDefinition<any, any, any, any, any>;

/** Identity helper that lets TypeScript infer a route's schema types. */
export function defineRoute<
  P extends z.ZodType = EmptyObject,
  Q extends z.ZodType = EmptyObject,
  B extends z.ZodType = EmptyObject,
  R extends z.ZodType = z.ZodType,
  const A extends 'public' | readonly Scope[] = readonly Scope[],
>(route: RouteDefinition<P, Q, B, R, A>): RouteDefinition<P, Q, B, R, A> {
  return route;
}

export function mountRoute(
  router: Router,
  route: AnyRoute,
  auth: Authenticator,
  idempotency: Idempotency,
): void {
  if (route.idempotent) assertIdempotentAllowed(route);
  router[route.method](route.path, async (req: Request, res: Response) => {
    let principal: Principal | undefined;
    if (route.access !== 'public') {
      principal = await auth.authenticate(req);
      requireScopes(principal, route.access);
    }
    res.locals.principal = principal;
    const execute = () => runRoute(route, principal, req, res);
    if (!route.idempotent || !principal) {
      const response = await execute();
      if (response) send(res, response);
      return;
    }
    const { workspaceId } = principal;
    const requestId = res.locals.requestId;
    const answer = await idempotency.run(
      { workspaceId, req, requestId },
      async () => (await execute()) as RouteResponse,
    );
    if (answer.replayed) res.setHeader(idempotentReplayedHeader, 'true');
    send(res, answer);
  });
}

/**
 * Mounts the text parsers of routes with a `textBody`; call it before the JSON parser, which then
 * finds their bodies already read (and other routes never see a text body parsed).
 */
export function mountTextBodyParsers(router: Router, routes: readonly AnyRoute[]): void {
  for (const route of routes) {
    if (!route.textBody) continue;
    const { mediaTypes, limit } = route.textBody;
    router[route.method](route.path, express.text({ type: [...mediaTypes], limit }));
  }
}

function assertIdempotentAllowed(route: AnyRoute): void {
  if (route.method !== 'post' || route.access === 'public' || 'stream' in route.response) {
    throw new Error(
      `${route.method.toUpperCase()} ${route.path}: only authenticated POST routes without streams can be idempotent`,
    );
  }
}

/** Validates, runs the handler and serializes its answer; undefined when the handler streamed it. */
async function runRoute(
  route: AnyRoute,
  principal: Principal | undefined,
  req: Request,
  res: Response,
): Promise<RouteResponse | undefined> {
  checkMediaType(route, req);
  const params = route.params ? parseInput(route.params, req.params, 'params') : {};
  const query = route.query ? parseInput(route.query, req.query, 'query') : {};
  const body = route.body ? parseInput(route.body, req.body ?? {}, 'body') : {};
  const { response } = route;
  let status = 'schema' in response ? response.status : 200;
  const answerAlsoStatus = () => {
    if ('schema' in response && response.alsoStatus) status = response.alsoStatus.status;
  };
  const result = await route.handle({ params, query, body, principal, req, res, answerAlsoStatus });
  if ('stream' in response) return undefined;
  if (response.status === 204) return { status: 204, contentType: '', body: '' };
  const json = result === undefined ? '' : JSON.stringify(result);
  return { status, contentType: 'application/json', body: json };
}

function checkMediaType(route: AnyRoute, req: Request): void {
  if (route.textBody) {
    if (typeof req.body === 'string') return;
    const types = route.textBody.mediaTypes.join(', ');
    throw new AppError('request.unsupported_media_type', `Send the body as one of ${types}.`);
  }
  if (route.body && req.is('application/json') === false) {
    throw new AppError('request.unsupported_media_type', 'Send the body as application/json.');
  }
}

function send(res: Response, response: RouteResponse): void {
  if (response.status === 204) {
    res.status(204).end();
    return;
  }
  res.status(response.status).type(response.contentType).send(response.body);
}

const commonErrors: readonly ErrorCode[] = ['request.validation_failed', 'internal.error'];
const authErrors: readonly ErrorCode[] = [
  'auth.credentials_missing',
  'auth.credentials_invalid',
  'auth.key_revoked',
  'auth.ip_not_allowed',
  'auth.scope_missing',
  'rate_limit.exceeded',
];

const idempotencyErrors: readonly ErrorCode[] = ['idempotency.in_flight', 'idempotency.key_reused'];

export function registerRouteDoc(registry: OpenAPIRegistry, route: AnyRoute, basePath: string): void {
  const errors = [
    ...commonErrors,
    ...(route.access === 'public' ? [] : authErrors),
    ...(route.errors ?? []),
    ...(route.idempotent ? idempotencyErrors : []),
  ];
  const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> =
    {};
  const also = 'schema' in route.response ? route.response.alsoStatus : undefined;
  if (also && 'schema' in route.response) {
    responses[String(also.status)] = {
      description: also.description,
      content: { 'application/json': { schema: route.response.schema } },
    };
  }
  responses[String(route.response.status)] =
    'stream' in route.response
      ? {
          description: route.response.description,
          content: { [route.response.mediaType]: { schema: z.string().meta({ format: 'binary' }) } },
        }
      : route.response.status === 204
        ? { description: route.response.description }
        : {
            description: route.response.description,
            content: { 'application/json': { schema: route.response.schema } },
          };
  for (const code of errors) {
    const status = String(errorCatalog[code].status);
    const existing = responses[status];
    const line = `\`${code}\`: ${errorCatalog[code].title}`;
    responses[status] = existing
      ? { ...existing, description: `${existing.description}; ${line}` }
      : { description: line, content: { 'application/problem+json': { schema: problemSchema } } };
  }
  registry.registerPath({
    method: route.method,
    path: basePath + route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
    summary: route.summary,
    tags: [route.tag],
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    description:
      route.access === 'public' ? undefined : `Requires scopes: ${route.access.join(', ') || 'none'}.`,
    request: {
      params: route.params,
      query: route.query,
      headers: route.idempotent ? idempotencyHeaders : undefined,
      body: route.body ? { content: bodyContent(route) } : undefined,
    },
    responses,
  });
}

function bodyContent(route: AnyRoute): Record<string, { schema: z.ZodType }> {
  const types = route.textBody ? route.textBody.mediaTypes : ['application/json'];
  return Object.fromEntries(types.map((type) => [type, { schema: route.body as z.ZodType }]));
}
