/**
 * The slice of viber-bot 1.0.18 (no published types) that the Viber adapter uses. Internals the
 * adapter reaches into (`_client`) are typed separately, in `bot-client.ts`.
 */
declare module 'viber-bot' {
  /** `lib/viber-bot.js` configuration; `avatar` must be present as a key, even when undefined. */
  export interface ViberBotConfiguration {
    authToken: string;
    name: string;
    avatar: string | undefined;
    /** `event_types` sent with set_webhook; defaults to all but `failed`. */
    registerToEvents?: string[];
  }

  /** Anything with the receiver's Viber id (`UserProfile` or a plain object). */
  export interface ViberReceiver {
    id: string;
  }

  /** Base of every message class (`lib/message/message.js`). */
  export interface ViberMessage {
    readonly keyboard: object | null;
    readonly minApiVersion: number | undefined;
    toJson(): Record<string, unknown>;
    verifyMessage(): void;
  }

  export class Bot {
    constructor(configuration: ViberBotConfiguration);
    /**
     * Sends the messages one after another; resolves with each response's `message_token`, rejects
     * with the parsed response when its `status` is not 0 (or with the transport's error).
     */
    sendMessage(
      receiver: ViberReceiver,
      messages: ViberMessage[],
      trackingData?: object | null,
    ): Promise<unknown[]>;
    /** `set_webhook`; resolves with the response body when `status` is 0, rejects with it otherwise. */
    setWebhook(url: string, isInline?: boolean): Promise<unknown>;
    getBotProfile(): Promise<unknown>;
  }

  interface TextMessageClass {
    new (
      text: string,
      keyboard?: object | null,
      trackingData?: object | null,
      timestamp?: number | null,
      token?: string | null,
      minApiVersion?: number,
    ): ViberMessage;
  }

  export const Message: {
    Text: TextMessageClass;
  };
}
