import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { HelmetOptions } from 'helmet';
import { packageRoot } from '../package-root';
import { securityHeaders } from './security-headers';

/** Paths that belong to the API and the service, never to the single-page app's fallback. */
const reservedPrefixes = [
  '/v1',
  '/webhooks',
  '/docs',
  '/healthz',
  '/readyz',
  '/metrics',
  '/socket.io',
  '/assets',
];

/**
 * Headers for the operator UI: scripts, styles, images and connections from this origin only
 * (socket.io's WebSocket included), no framing, no inline code, no plugins.
 */
export function webUiHeaders(publicUrl: string): HelmetOptions {
  const origin = new URL(publicUrl);
  const socketOrigin = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`;
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", socketOrigin],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  };
}

export interface WebUiOptions {
  /** The built UI (index.html and assets/); default `dist/web` under the package root. */
  dir?: string;
  publicUrl: string;
}

/**
 * The operator web UI built by `npm run build` (inbox/web → dist/web): `/` and any other
 * non-API GET that asks for HTML answer index.html (never cached, so a deploy is picked up at
 * once); `/assets/*` are content-hashed files cached for a year. A missing build answers 503
 * with what to run, and the JSON API keeps its own strict headers.
 */
export function webUi(options: WebUiOptions): Router {
  const dir = options.dir ?? path.join(packageRoot(), 'dist', 'web');
  const router = express.Router();
  const headers = securityHeaders(webUiHeaders(options.publicUrl));
  router.use(
    '/assets',
    headers,
    express.static(path.join(dir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      dotfiles: 'ignore',
      redirect: false,
    }),
  );
  router.use(indexFallback(dir, headers));
  return router;
}

function isAppPath(requestPath: string): boolean {
  return !reservedPrefixes.some((prefix) => requestPath === prefix || requestPath.startsWith(`${prefix}/`));
}

function indexFallback(dir: string, headers: RequestHandler): RequestHandler {
  const file = path.join(dir, 'index.html');
  let cached: { mtimeMs: number; html: string } | undefined;
  async function load(): Promise<string | null> {
    try {
      const { mtimeMs } = await stat(file);
      if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: await readFile(file, 'utf8') };
      return cached.html;
    } catch {
      return null;
    }
  }
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isAppPath(req.path)) return next();
    if (req.path !== '/' && req.accepts(['json', 'html']) !== 'html') return next();
    headers(req, res, () => {
      load().then((html) => {
        res.setHeader('Cache-Control', 'no-cache');
        if (html === null) {
          res
            .status(503)
            .type('text/plain')
            .send('The operator UI is not built. Run `npm run build` (it builds inbox/web into dist/web).\n');
          return;
        }
        res.type('html').send(html);
      }, next);
    });
  };
}
