import { readFileSync } from 'node:fs';
import path from 'node:path';
import { channelKinds } from '../../adapters/contract';
import { adapterRegistry } from '../../adapters/registry';
import { renderChannelTable } from '../../src/channels/channel-docs';

describe('adapter registry', () => {
  it.each(channelKinds)('%s has a definition whose example config passes its own schema', (kind) => {
    const definition = adapterRegistry[kind];
    expect(definition.kind).toBe(kind);
    const parsed = definition.configSchema.safeParse(definition.exampleConfig);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    for (const field of definition.secretFields)
      expect(Object.keys(definition.exampleConfig)).toContain(field);
    const caps = definition.capabilities(parsed.success ? parsed.data : {});
    expect(caps.text.maxLength).toBeGreaterThan(0);
    expect(caps.rateLimit.perSecond).toBeGreaterThan(0);
  });

  it('keeps the README channel table in sync with the registry', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(renderChannelTable());
  });
});
