import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { packageRoot } from '../package-root';
import { securityHeaders } from './security-headers';

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Vestnik API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** `/docs`: the API reference (Swagger UI served locally, works offline); `/docs/errors`: the error catalog. */
export function docsRoutes(): Router {
  const router = express.Router();
  router.use('/docs', securityHeaders());
  const errorsDoc = readFileSync(path.join(packageRoot(), 'docs', 'errors.md'), 'utf8');
  // The folder of swagger-ui-dist, found without requiring the package (which loads a 1.7 MB bundle).
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  router.use('/docs/assets', express.static(assets, { index: false, maxAge: '1d' }));
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(init);
  });
  router.get('/docs/errors', (_req, res) => {
    res.type('text/markdown; charset=utf-8').send(errorsDoc);
  });
  return router;
}
