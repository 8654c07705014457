import { Telegraf } from 'telegraf';
import type { Opts, Telegram } from 'telegraf/types';

/** The Bot API as telegraf types it: method name → parameters and result. */
export type BotApiMethod = keyof Telegram;
export type BotApiParams<M extends BotApiMethod> = Opts<M>;
export type BotApiResult<M extends BotApiMethod> = ReturnType<Telegram[M]>;

type CallApiOptions = NonNullable<Parameters<Telegraf['telegram']['callApi']>[2]>;
/** telegraf types its signal with the `abort-controller` polyfill; node-fetch accepts the native one. */
type TelegrafSignal = CallApiOptions['signal'];

export const defaultApiRoot = 'https://api.telegram.org';

/**
 * telegraf's `Telegram` client with a per-request timeout. telegraf resolves `./bot<token>/<method>`
 * against `apiRoot`, so the root must end with `/` for a path prefix (the sandbox's `/telegram`)
 * to survive. `webhookReply` is off: every call is a real request whose answer we read.
 */
export class BotApiClient {
  private readonly bot: Telegraf;

  constructor(
    token: string,
    apiRoot: string | undefined,
    private readonly timeoutMs: number,
  ) {
    const root = (apiRoot ?? defaultApiRoot).replace(/\/*$/, '/');
    this.bot = new Telegraf(token, { telegram: { apiRoot: root, webhookReply: false } });
  }

  /** Calls one Bot API method; throws telegraf's `TelegramError` or a network error. */
  call<M extends BotApiMethod>(method: M, params: BotApiParams<M>): Promise<BotApiResult<M>> {
    const signal = AbortSignal.timeout(this.timeoutMs) as unknown as TelegrafSignal;
    return this.bot.telegram.callApi(method, params, { signal });
  }

  /** The download URL for a file path getFile returned (contains the token: never log it). */
  async fileUrl(filePath: string): Promise<string> {
    const url = await this.bot.telegram.getFileLink({ file_id: '', file_unique_id: '', file_path: filePath });
    return url.toString();
  }
}
