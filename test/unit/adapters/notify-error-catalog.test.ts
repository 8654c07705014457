import { readFileSync } from 'node:fs';
import path from 'node:path';
import { permanentByCode } from '../../../adapters/vk-notify/error-mapping';
import { gatewayErrors } from '../../../src/sandbox/platforms/notify/gateway-errors';

const readme = readFileSync(path.join(__dirname, '../../../adapters/vk-notify/README.md'), 'utf8');

describe('notify gateway error catalog', () => {
  it.each(Object.entries(gatewayErrors))('documents %s with HTTP %i', (code, status) => {
    expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('maps only codes the gateway has', () => {
    for (const code of Object.keys(permanentByCode)) expect(Object.keys(gatewayErrors)).toContain(code);
  });
});
