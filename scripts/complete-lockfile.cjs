#!/usr/bin/env node
/**
 * Adds a bare lock entry for every optional dependency that `npm install` left out of
 * package-lock.json. Why: the npm registry mirror of our build machines has no packages for other
 * platforms (e.g. @biomejs/cli-darwin-arm64 answers 404), so `npm install` silently drops them,
 * and `npm ci` then refuses the lock file ("Missing: … from lock file"). A bare entry (name and
 * version, marked optional) satisfies `npm ci`; on a platform that needs the package, npm fetches
 * it by that version from the registry as usual. Idempotent. Run after `npm install`:
 *   npm run lockfile:complete
 */
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');

function missingOptionalEntries(lock) {
  const packages = lock.packages ?? {};
  const missing = new Map();
  for (const [location, entry] of Object.entries(packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
      const top = `node_modules/${name}`;
      if (!packages[nested] && !packages[top] && !missing.has(top)) {
        missing.set(top, { version, optional: true, ...(entry.dev ? { dev: true } : {}) });
      }
    }
  }
  return missing;
}

module.exports = { missingOptionalEntries };

if (require.main === module) {
  const lock = JSON.parse(readFileSync(file, 'utf8'));
  const missing = missingOptionalEntries(lock);
  for (const [key, entry] of missing) lock.packages[key] = entry;
  if (missing.size > 0) writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(
    `package-lock.json: ${missing.size} optional platform entr${missing.size === 1 ? 'y' : 'ies'} added\n`,
  );
}
