#!/usr/bin/env node

const path = require('node:path');
const { existsSync } = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('vestnik: not built yet. Run `npm ci` (or `npm run build`) in the checkout first.\n');
  process.exit(1);
}
require(entry).main(process.argv);
