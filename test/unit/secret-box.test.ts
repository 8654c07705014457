import { randomBytes } from 'node:crypto';
import { adapterRegistry } from '../../adapters/registry';
import { maskedConfig, openConfig, sealConfig } from '../../src/channels/channel-config';
import { createSecretBox, SecretBoxError } from '../../src/channels/secret-box';

describe('channel secrets at rest', () => {
  const box = createSecretBox(randomBytes(32));
  const definition = adapterRegistry.telegram;
  const config = {
    botToken: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
    apiRoot: 'http://127.0.0.1:8090/telegram',
  };

  it('seals secret fields and opens them again for the same channel only', () => {
    const stored = sealConfig(definition, config, box, 'channel-a');
    expect(JSON.stringify(stored)).not.toContain('AAHdqTcv');
    expect(stored.settings).toEqual({ apiRoot: config.apiRoot });
    expect(openConfig(stored, box, 'channel-a')).toEqual(config);
    expect(() => openConfig(stored, box, 'channel-b')).toThrow(SecretBoxError);
    expect(() => openConfig(stored, createSecretBox(randomBytes(32)), 'channel-a')).toThrow(SecretBoxError);
  });

  it('encrypts the same secret differently each time and detects tampering', () => {
    const first = box.seal('secret', 'c');
    expect(box.seal('secret', 'c')).not.toBe(first);
    const parts = first.split('.');
    parts[3] = Buffer.from('SECRET').toString('base64url');
    expect(() => box.open(parts.join('.'), 'c')).toThrow(SecretBoxError);
  });

  it('masks secrets to their last four characters, short ones entirely', () => {
    const stored = sealConfig(definition, config, box, 'c1');
    expect(maskedConfig(stored, box, 'c1')).toEqual({ apiRoot: config.apiRoot, botToken: '…Dsaw' });
    const short = { settings: {}, secrets: { password: box.seal('s3cret', 'c1:password') } };
    expect(maskedConfig(short, box, 'c1')).toEqual({ password: '(set)' });
  });
});
