// The operator web UI: built into dist/web (served by `vestnik serve`, see src/http/web-ui.ts).
// JSX is compiled by Vite's own oxc transform (React's automatic runtime); no inline scripts or
// styles are emitted, so the page runs under a CSP of 'self' only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite --config inbox/web/vite.config.mjs` against a running service on PORT (default 3000).
    proxy: {
      '/v1': `http://127.0.0.1:${process.env.PORT ?? 3000}`,
      '/socket.io': { target: `ws://127.0.0.1:${process.env.PORT ?? 3000}`, ws: true },
    },
  },
});
