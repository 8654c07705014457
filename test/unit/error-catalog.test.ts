import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errorCatalog, errorCodes, errorTypeUri } from '../../src/errors/catalog';

const doc = readFileSync(path.resolve(__dirname, '../../docs/errors.md'), 'utf8');
const documented = [...doc.matchAll(/^## (\S+)$/gm)].map((m) => m[1]);

describe('error catalog', () => {
  it.each(errorCodes)('documents %s with its status', (code) => {
    const section = doc.split(`## ${code}\n`)[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain(`**${errorCatalog[code].status}.**`);
  });

  it('documents nothing that is not in the catalog', () => {
    expect(documented.sort()).toEqual([...errorCodes].sort());
  });

  it('uses stable, distinct type links', () => {
    const types = errorCodes.map(errorTypeUri);
    expect(new Set(types).size).toBe(types.length);
    expect(errorTypeUri('auth.key_revoked')).toBe('/docs/errors#auth-key-revoked');
  });
});
