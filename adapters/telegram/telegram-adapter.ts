import type {
  AdapterContext,
  ChannelAdapter,
  ConnectResult,
  DownloadResult,
  NormalizedEvent,
  OutboundContent,
  Recipient,
  SendOptions,
  SendResult,
  WebhookRequest,
  WebhookResult,
  WithdrawResult,
} from '../contract';
import { permanent, refusalResult, rejected, sent, textResponse, validateContent } from '../contract';
import { parseJsonBody } from '../shared/signatures';
import { downloadAttachment } from './attachment-download';
import { BotApiClient } from './bot-api-client';
import { telegramCapabilities } from './capabilities';
import type { TelegramConfig } from './config-schema';
import { botApiErrorOf, describeBotApiError, failureFrom } from './error-mapping';
import { mapUpdate, subscribedUpdateTypes } from './inbound-mapper';
import { decodeMessageRef, encodeMessageRef } from './message-id';
import { type PlannedCall, renderContent } from './outbound-renderer';
import { hasValidSecret, secretTokenFor } from './webhook-verification';

/** One Telegram bot behind the channel contract, speaking the Bot API through telegraf. */
export class TelegramAdapter implements ChannelAdapter {
  readonly kind = 'telegram' as const;
  readonly capabilities = telegramCapabilities;
  private readonly api: BotApiClient;
  private readonly secretToken: string;

  constructor(
    config: TelegramConfig,
    private readonly context: AdapterContext,
  ) {
    this.api = new BotApiClient(config.botToken, config.apiRoot, context.requestTimeoutMs);
    this.secretToken = secretTokenFor(context.webhook.key);
  }

  /**
   * Sends text, buttons and at most one image. The Bot API has no idempotency key, so a send that
   * timed out after Telegram accepted it can deliver twice when retried; `options.messageId` is
   * only used for logging.
   */
  async send(recipient: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult> {
    const refusal = validateContent(this.capabilities, content);
    if (refusal) return refusalResult(refusal);
    if (recipient.kind !== 'user')
      return permanent(
        'recipient-invalid',
        'Telegram bots reach users by chat id only (after they start the bot)',
      );
    const rendered = renderContent(recipient.externalUserId, content, options.replyToExternalId);
    if (!rendered.ok) return refusalResult(rendered.refusal);
    let result: SendResult = permanent('content-invalid', 'nothing to send');
    for (const call of rendered.calls) {
      result = await this.perform(call);
      if (!result.ok) break;
    }
    this.context.logger.debug({ messageId: options.messageId, ok: result.ok }, 'telegram: send finished');
    return result;
  }

  private async perform(call: PlannedCall): Promise<SendResult> {
    try {
      const message =
        call.method === 'sendMessage'
          ? await this.api.call('sendMessage', call.payload)
          : await this.api.call('sendPhoto', call.payload);
      return sent(encodeMessageRef(message.chat.id, message.message_id));
    } catch (error) {
      return failureFrom(error);
    }
  }

  /** Verifies the secret header first (401 when missing or wrong), then maps the Update. */
  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (!hasValidSecret(request.headers, this.secretToken))
      return rejected(401, 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
    if (request.method !== 'POST') return rejected(400, 'Telegram delivers updates by POST');
    const mapping = mapUpdate(parseJsonBody(request.rawBody));
    if (mapping.kind === 'malformed') return rejected(400, mapping.detail);
    if (mapping.kind === 'unsupported')
      this.context.logger.debug({ updateType: mapping.updateType }, 'telegram: update type not handled');
    const events = mapping.kind === 'events' ? mapping.events : [];
    // Any 2xx tells Telegram the update is handled; an empty body asks for nothing more.
    return { outcome: 'accepted', events, response: textResponse('') };
  }

  /** Deletes one of the bot's messages (the Bot API allows it for 48 hours). */
  async withdraw(target: { externalMessageId: string; recipient: Recipient }): Promise<WithdrawResult> {
    const ref = decodeMessageRef(target.externalMessageId);
    if (!ref) return permanent('rejected', `not a Telegram message reference: ${target.externalMessageId}`);
    try {
      await this.api.call('deleteMessage', { chat_id: ref.chatId, message_id: ref.messageId });
      return { ok: true };
    } catch (error) {
      return failureFrom(error);
    }
  }

  /** Stops the button's loading spinner: answerCallbackQuery with the press's callback query id. */
  async acknowledgeButton(event: Extract<NormalizedEvent, { type: 'button-press' }>): Promise<void> {
    if (!event.answerToken) return;
    try {
      await this.api.call('answerCallbackQuery', { callback_query_id: event.answerToken });
    } catch (error) {
      // The query expires after a while; the user only sees the spinner stop by itself.
      this.context.logger.warn({ error: botApiErrorOf(error) }, 'telegram: answerCallbackQuery failed');
    }
  }

  downloadAttachment(fileRef: string, maxBytes: number): Promise<DownloadResult> {
    return downloadAttachment(this.api, fileRef, maxBytes, this.context.requestTimeoutMs);
  }

  /** Registers our webhook URL with the secret token and the update types we map. */
  async connect(): Promise<ConnectResult> {
    try {
      await this.api.call('setWebhook', {
        url: this.context.webhook.url,
        secret_token: this.secretToken,
        allowed_updates: [...subscribedUpdateTypes],
      });
      return { webhook: 'registered' };
    } catch (error) {
      return { webhook: 'failed', detail: describeBotApiError(error) };
    }
  }

  async disconnect(): Promise<void> {
    try {
      await this.api.call('deleteWebhook', {});
    } catch (error) {
      this.context.logger.warn({ error: botApiErrorOf(error) }, 'telegram: deleteWebhook failed');
    }
  }

  /** Nothing to release: telegraf holds no timers or sockets of its own when it does not poll. */
  async close(): Promise<void> {}
}
