import { readFileSync } from 'node:fs';
import { Bot } from 'viber-bot';
import { createViberBot, ViberBotInternalsChanged, viberClientOf } from '../../../adapters/viber/bot-client';
import { viberApiBaseUrl, viberConfigSchema } from '../../../adapters/viber/config-schema';

/**
 * The Viber adapter points viber-bot at another base URL and swaps its transport through
 * `bot._client` (see adapters/viber/README.md). These tests fail as soon as an upgrade moves that.
 */
describe('viber-bot internals the Viber adapter relies on', () => {
  const config = viberConfigSchema.parse({
    authToken: '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9',
    botName: 'Vestnik',
    apiBaseUrl: 'http://127.0.0.1:9/viber/pa/',
  });

  it('is viber-bot 1.0.18', () => {
    const manifest = JSON.parse(readFileSync(require.resolve('viber-bot/package.json'), 'utf8')) as {
      version: string;
    };
    expect(manifest.version).toBe('1.0.18');
  });

  it('still hardcodes the real API base in bot._client._url', () => {
    const bot = new Bot({ authToken: config.authToken, name: 'Vestnik', avatar: undefined });
    expect(viberClientOf(bot)._url).toBe(viberApiBaseUrl);
  });

  it('points the client at the configured base and replaces its transport', () => {
    const bot = createViberBot(config, 1_000);
    const client = viberClientOf(bot);
    expect(client._url).toBe('http://127.0.0.1:9/viber/pa');
    const untouched = viberClientOf(new Bot({ authToken: config.authToken, name: 'x', avatar: undefined }));
    expect(client._sendRequest).not.toBe(untouched._sendRequest);
  });

  it('refuses a bot without the expected client, loudly', () => {
    const broken = Object.create(Bot.prototype) as Bot;
    expect(() => viberClientOf(broken)).toThrow(ViberBotInternalsChanged);
    Reflect.set(broken, '_client', { _url: 'x', _userAgent: 'y' });
    expect(() => viberClientOf(broken)).toThrow(/_sendRequest/);
  });
});
