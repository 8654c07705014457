import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderConfigTable, renderEnvExample } from '../../src/config/config-docs';
import { envKeys } from '../../src/config/env-schema';
import { ConfigError, loadConfig, publicUrl } from '../../src/config/load-config';

const root = path.resolve(__dirname, '../..');

describe('configuration schema', () => {
  it('has a working local default for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8080,
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATA_DIR: './data',
      DEMO_SEED: true,
      MONGODB_URI: undefined,
    });
    expect(publicUrl(config, 8080)).toBe('http://127.0.0.1:8080');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '' })).toMatchObject({ PORT: 8080, MONGODB_URI: undefined });
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a number (got "abc")'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be between 0 and 65535 (got "70000")'],
    [{ DEMO_SEED: 'maybe' }, 'Invalid configuration: DEMO_SEED must be true or false (got "maybe")'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid configuration: LOG_LEVEL'],
    [
      { HTTP_BODY_LIMIT: 'huge' },
      'Invalid configuration: HTTP_BODY_LIMIT must be a size such as 512kb or 1mb',
    ],
  ])('stops on %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret value back', () => {
    let message = '';
    try {
      loadConfig({ MONGODB_URI: 'bad://user:hunter2@host' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('MONGODB_URI must be a mongodb:// or mongodb+srv:// connection string');
    expect(message).not.toContain('hunter2');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('accepts production values', () => {
    const config = loadConfig({
      MONGODB_URI: 'mongodb://mongo:27017/?replicaSet=rs0',
      REDIS_URL: 'rediss://:pw@redis.internal:6380',
      PUBLIC_URL: 'https://api.example.com/',
      DEMO_SEED: 'false',
    });
    expect(config.PUBLIC_URL).toBe('https://api.example.com');
    expect(config.DEMO_SEED).toBe(false);
  });
});

describe('documentation kept in sync with the schema', () => {
  it('.env.example lists every variable with its default', () => {
    expect(readFileSync(path.join(root, '.env.example'), 'utf8')).toBe(renderEnvExample());
    const keys = readFileSync(path.join(root, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect(keys).toEqual(envKeys);
  });

  it('.env.example values are themselves valid', () => {
    const env = Object.fromEntries(
      readFileSync(path.join(root, '.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('the README configuration table is the generated one', () => {
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(renderConfigTable());
  });
});
