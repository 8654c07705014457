import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

type ParsedRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

const sendMessagePath = /^\/telegram\/bot([^/]+)\/sendmessage(?:\?|$)/i;

/**
 * When the in-process sandbox's Telegram Bot API accepted each `sendMessage` (status 200), per
 * bot token and chat: `PlatformTraffic` keeps paths only, and a bot reply must be tied to the
 * customer who asked. Read from Node's `http.server.response.finish` diagnostics channel, after
 * the simulator stored and delivered the message; the body is the one the sandbox's express
 * parser already parsed (telegraf sends JSON).
 */
export class ReplyWatch {
  private readonly sends = new Map<string, number[]>();
  private readonly listener = (message: unknown) => {
    const { request, response } = message as { request: ParsedRequest; response: { statusCode: number } };
    if (response.statusCode !== 200) return;
    const token = sendMessagePath.exec(request.originalUrl ?? request.url ?? '')?.[1];
    const chatId = (request.body as { chat_id?: unknown } | undefined)?.chat_id;
    if (token === undefined || (typeof chatId !== 'string' && typeof chatId !== 'number')) return;
    const key = chatKey(token, String(chatId));
    const list = this.sends.get(key);
    if (list) list.push(performance.now());
    else this.sends.set(key, [performance.now()]);
  };

  start(): this {
    diagnostics.subscribe('http.server.response.finish', this.listener);
    return this;
  }

  stop(): void {
    diagnostics.unsubscribe('http.server.response.finish', this.listener);
  }

  /** `performance.now()` of the bot's messages in a chat, in order. */
  repliesIn(token: string, chatId: string): readonly number[] {
    return this.sends.get(chatKey(token, chatId)) ?? [];
  }
}

const chatKey = (token: string, chatId: string) => `${token}\n${chatId}`;
