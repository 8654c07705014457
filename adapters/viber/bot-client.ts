import { Bot } from 'viber-bot';
import type { ViberConfig } from './config-schema';
import { sendViberRequest } from './viber-transport';

/**
 * Events we ask Viber for with set_webhook (`event_types`). viber-bot's default list leaves out
 * `failed`; `message`, `subscribed` and `unsubscribed` cannot be filtered out anyway.
 */
export const viberEventTypes = [
  'delivered',
  'seen',
  'failed',
  'subscribed',
  'unsubscribed',
  'conversation_started',
  'message',
];

/**
 * viber-bot 1.0.18 internals the adapter relies on (`lib/viber-client.js`): the client the bot
 * builds in its constructor keeps the API base in `_url` and sends every call through
 * `_sendRequest(endpoint, data)`.
 */
export interface ViberClientInternals {
  _url: string;
  _userAgent: string;
  _sendRequest(endpoint: string, data: Record<string, unknown>): Promise<unknown>;
}

/** Raised when the installed viber-bot no longer has the internals this adapter patches. */
export class ViberBotInternalsChanged extends Error {
  readonly code = 'VIBER_BOT_INTERNALS_CHANGED';
  constructor(detail: string) {
    super(`viber-bot internals changed (${detail}); the Viber adapter was written against viber-bot 1.0.18`);
  }
}

/** The bot's `ViberClient`, checked to still look like viber-bot 1.0.18's. */
export function viberClientOf(bot: Bot): ViberClientInternals {
  const client: unknown = Reflect.get(bot, '_client');
  if (typeof client !== 'object' || client === null) throw new ViberBotInternalsChanged('no bot._client');
  if (typeof Reflect.get(client, '_url') !== 'string') throw new ViberBotInternalsChanged('no _client._url');
  if (typeof Reflect.get(client, '_userAgent') !== 'string')
    throw new ViberBotInternalsChanged('no _client._userAgent');
  if (typeof Reflect.get(client, '_sendRequest') !== 'function')
    throw new ViberBotInternalsChanged('no _client._sendRequest');
  return client as ViberClientInternals;
}

/**
 * A viber-bot `Bot` pointed at `config.apiBaseUrl` and reading answers without losing precision.
 *
 * viber-bot hardcodes `https://chatapi.viber.com/pa` and offers no option to change it, so after
 * construction we set `bot._client._url` (the only place the base lives). viber-bot's own transport
 * (needle with `parse: true`) runs answers through `JSON.parse`, which rounds the 64-bit
 * `message_token` (5741311803571721087 becomes 5741311803571721000) and has no overall timeout;
 * so `_client._sendRequest` is replaced by `sendViberRequest`, which sends the same bytes and
 * headers and keeps viber-bot's resolve/reject rule. Message building, validation, keyboards and
 * the send_message body stay viber-bot's.
 */
export function createViberBot(config: ViberConfig, timeoutMs: number): Bot {
  const bot = new Bot({
    authToken: config.authToken,
    name: config.botName,
    avatar: config.avatarUrl,
    registerToEvents: viberEventTypes,
  });
  const client = viberClientOf(bot);
  client._url = config.apiBaseUrl;
  client._sendRequest = (endpoint, data) =>
    sendViberRequest(endpoint, data, {
      baseUrl: client._url,
      authToken: config.authToken,
      userAgent: client._userAgent,
      timeoutMs,
    });
  return bot;
}
