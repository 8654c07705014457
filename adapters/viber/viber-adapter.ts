import type { Bot } from 'viber-bot';
import {
  type AdapterContext,
  type ChannelAdapter,
  type ConnectResult,
  type DownloadResult,
  describeSendFailure,
  jsonResponse,
  type OutboundContent,
  permanent,
  type Recipient,
  refusalResult,
  rejected,
  type SendResult,
  sent,
  validateContent,
  type WebhookRequest,
  type WebhookResult,
} from '../contract';
import { downloadLimited } from '../shared/platform-http';
import { createViberBot } from './bot-client';
import { parseViberCallback } from './callback-schema';
import { viberCapabilities } from './capabilities';
import type { ViberConfig } from './config-schema';
import { mapViberRejection } from './error-mapping';
import { mapViberCallback, stickerRefPrefix } from './inbound-mapper';
import { renderViberMessage } from './outbound-renderer';
import { verifyViberSignature } from './webhook-verification';

/** A Viber bot behind the channel contract, sending through viber-bot. */
export class ViberAdapter implements ChannelAdapter {
  readonly kind = 'viber' as const;
  readonly capabilities = viberCapabilities;
  private readonly bot: Bot;

  constructor(
    private readonly config: ViberConfig,
    private readonly context: AdapterContext,
  ) {
    this.bot = createViberBot(config, context.requestTimeoutMs);
  }

  async send(recipient: Recipient, content: OutboundContent): Promise<SendResult> {
    const refusal = validateContent(this.capabilities, content);
    if (refusal) return refusalResult(refusal);
    if (recipient.kind !== 'user') {
      return permanent('recipient-invalid', `Viber sends to a subscriber id, not to a ${recipient.kind}`);
    }
    const rendered = renderViberMessage(content);
    if (!rendered.ok) return permanent('content-invalid', rendered.refusal.message, rendered.refusal.limit);
    try {
      const tokens = await this.bot.sendMessage(
        { id: recipient.externalUserId },
        [rendered.message],
        rendered.trackingData,
      );
      return tokenResult(tokens.at(-1));
    } catch (rejection) {
      const result = mapViberRejection(rejection);
      if (!result.ok) this.context.logger.warn({ failure: result.failure }, 'viber: send failed');
      return result;
    }
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (request.method !== 'POST') return rejected(400, 'Viber callbacks are POST requests');
    const check = verifyViberSignature(request, this.config.authToken);
    if (!check.ok) return rejected(check.status, check.reason);
    const payload = parseViberCallback(request.rawBody);
    if (!payload) return rejected(400, 'body is not a JSON object');
    const mapped = mapViberCallback(payload);
    if (mapped.outcome === 'malformed') return rejected(400, `not a Viber callback: ${mapped.reason}`);
    if (mapped.outcome === 'unsupported') {
      this.context.logger.debug({ event: mapped.event }, 'viber: callback event not handled');
    }
    const events = mapped.outcome === 'events' ? mapped.events : [];
    return { outcome: 'accepted', events, response: jsonResponse({}) };
  }

  /**
   * Viber media URLs (`message.media`) are public links that expire; stickers without a URL have
   * nothing to download.
   */
  async downloadAttachment(fileRef: string, maxBytes: number): Promise<DownloadResult> {
    if (fileRef.startsWith(stickerRefPrefix) || !/^https?:\/\//.test(fileRef)) {
      return { ok: false, reason: 'not-found', detail: 'Viber gave no download URL for this item' };
    }
    return downloadLimited(fileRef, { maxBytes, timeoutMs: this.context.requestTimeoutMs });
  }

  /** set_webhook; Viber first POSTs a signed `webhook` check to the URL and needs a 200 back. */
  async connect(): Promise<ConnectResult> {
    try {
      await this.bot.setWebhook(this.context.webhook.url);
      return { webhook: 'registered' };
    } catch (rejection) {
      const result = mapViberRejection(rejection);
      const detail = result.ok ? 'unexpected answer' : describeSendFailure(result.failure);
      return { webhook: 'failed', detail: `set_webhook failed: ${detail}` };
    }
  }

  /** Viber removes the webhook when set_webhook gets an empty URL. */
  async disconnect(): Promise<void> {
    try {
      await this.bot.setWebhook('');
    } catch (rejection) {
      const result = mapViberRejection(rejection);
      if (!result.ok) this.context.logger.warn({ failure: result.failure }, 'viber: webhook removal failed');
    }
  }

  async close(): Promise<void> {
    // viber-bot keeps no sockets or timers open between requests.
  }
}

function tokenResult(token: unknown): SendResult {
  if (typeof token === 'string' && /^\d+$/.test(token)) return sent(token);
  if (typeof token === 'number' && Number.isSafeInteger(token)) return sent(String(token));
  return permanent('rejected', 'Viber answered status 0 without a usable message_token');
}
