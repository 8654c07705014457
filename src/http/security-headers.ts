import type { OutgoingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers, worked out once at start-up and set with one call per response. helmet stays
 * the source of truth for what the headers are; this only avoids running its dozen middleware
 * functions on every request. Only helmet options whose headers do not depend on the request
 * are supported (the default set is such).
 */
/**
 * For JSON answers (the API, health): the OWASP REST Security set — a CSP that forbids everything
 * and framing, HSTS, nosniff, X-Frame-Options DENY (Cache-Control: no-store is set on /v1).
 * The HTML-oriented rest of helmet's defaults is kept for the pages under /docs.
 */
export const jsonApiHeaders: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

export function securityHeaders(options?: HelmetOptions): RequestHandler {
  const headers = new Map(Object.entries(helmetHeaders(options)) as Array<[string, string]>);
  return (_req, res, next) => {
    res.setHeaders(headers);
    next();
  };
}

function helmetHeaders(options?: HelmetOptions): OutgoingHttpHeaders {
  const collected: OutgoingHttpHeaders = {};
  const fakeResponse = {
    setHeader: (name: string, value: string) => {
      collected[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => {
      delete collected[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as never, fakeResponse as never, () => {
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously');
  return collected;
}
