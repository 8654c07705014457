import { readFileSync } from 'node:fs';
import path from 'node:path';

const { missingOptionalEntries } = require('../../scripts/complete-lockfile.cjs') as {
  missingOptionalEntries(lock: unknown): Map<string, unknown>;
};

describe('package-lock.json', () => {
  it('has an entry for every optional platform package, so `npm ci` accepts it', () => {
    const lock = JSON.parse(readFileSync(path.resolve(__dirname, '../../package-lock.json'), 'utf8'));
    const missing = [...missingOptionalEntries(lock).keys()];
    expect({ missing, fix: 'npm run lockfile:complete' }).toEqual({
      missing: [],
      fix: 'npm run lockfile:complete',
    });
  });

  it('detects a dropped optional entry', () => {
    const lock = {
      packages: {
        '': { dependencies: { tool: '1.0.0' } },
        'node_modules/tool': { version: '1.0.0', optionalDependencies: { 'tool-darwin': '1.0.0' } },
      },
    };
    expect([...missingOptionalEntries(lock).keys()]).toEqual(['node_modules/tool-darwin']);
  });
});
