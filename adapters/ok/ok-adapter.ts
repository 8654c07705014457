import {
  type AdapterContext,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ConnectResult,
  type DownloadResult,
  describeSendFailure,
  type OutboundContent,
  permanent,
  type Recipient,
  refusalResult,
  rejected,
  type SendOptions,
  type SendResult,
  textResponse,
  validateContent,
  type WebhookRequest,
  type WebhookResult,
} from '../contract';
import { downloadLimited } from '../shared/platform-http';
import { parseJsonBody } from '../shared/signatures';
import { okCapabilities } from './capabilities';
import type { OkConfig } from './config-schema';
import { mapOkWebhook } from './inbound-mapper';
import { OkApiClient, okChatIdPattern } from './ok-api-client';
import { renderMessage } from './outbound-renderer';
import { createWebhookVerifier, type OkWebhookVerifier, subscriptionUrl } from './webhook-verification';

/**
 * One OK group behind the channel contract: sends to group-to-user dialogs (`chat:<id>`), receives
 * MESSAGE_CREATED / MESSAGE_CALLBACK webhooks on a URL carrying the channel's secret key.
 */
export class OkAdapter implements ChannelAdapter {
  readonly kind = 'ok' as const;
  readonly capabilities: ChannelCapabilities = okCapabilities;
  private readonly client: OkApiClient;
  private readonly verifier: OkWebhookVerifier;
  private readonly webhookUrl: string;

  constructor(
    config: OkConfig,
    private readonly context: AdapterContext,
  ) {
    this.client = new OkApiClient({
      apiBaseUrl: config.apiBaseUrl,
      accessToken: config.accessToken,
      timeoutMs: context.requestTimeoutMs,
    });
    this.verifier = createWebhookVerifier(context.webhook.key, config.allowedSourceIps);
    this.webhookUrl = subscriptionUrl(context.webhook);
  }

  /**
   * OK has no idempotency key on sends, so a retried attempt after a lost answer may deliver twice;
   * `options.messageId` is only logged.
   */
  async send(recipient: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult> {
    const refusal = validateContent(this.capabilities, content);
    if (refusal) return refusalResult(refusal);
    if (recipient.kind !== 'user' || !okChatIdPattern.test(recipient.externalUserId)) {
      return permanent('recipient-invalid', 'OK sends to a dialog chat id (chat:<id>) only');
    }
    const body = renderMessage(recipient.externalUserId, content, options.replyToExternalId);
    const result = await this.client.sendMessage(body);
    if (!result.ok)
      this.context.logger.warn({ messageId: options.messageId, failure: result.failure }, 'ok: send failed');
    return result;
  }

  /** Verifies the key (and source range), then maps; cheap and synchronous so OK gets its 200 within 5 s. */
  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    const verdict = this.verifier.verify(request);
    if (!verdict.ok) return rejected(403, verdict.reason);
    if (request.method !== 'POST') return rejected(400, 'OK webhooks are POST requests');
    const mapped = mapOkWebhook(parseJsonBody(request.rawBody));
    if (!mapped.ok) return rejected(400, mapped.reason);
    if (mapped.unsupported)
      this.context.logger.debug({ type: mapped.unsupported }, 'ok: webhook without events');
    return { outcome: 'accepted', events: mapped.events, response: textResponse('ok') };
  }

  /** Downloads a file a user sent; `fileRef` is the attachment's `payload.url`. */
  async downloadAttachment(fileRef: string, maxBytes: number): Promise<DownloadResult> {
    if (!/^https?:\/\//.test(fileRef))
      return { ok: false, reason: 'not-found', detail: 'not an OK file URL' };
    return downloadLimited(fileRef, { maxBytes, timeoutMs: this.context.requestTimeoutMs });
  }

  /** `POST /graph/me/subscribe` with our keyed webhook URL. */
  async connect(): Promise<ConnectResult> {
    const answer = await this.client.subscribe(this.webhookUrl);
    if (!answer.ok) return { webhook: 'failed', detail: describeSendFailure(answer.failure) };
    if (answer.body.success !== true)
      return { webhook: 'failed', detail: 'OK did not confirm the subscription' };
    return { webhook: 'registered' };
  }

  /** `POST /graph/me/unsubscribe`; a failure is logged, not thrown (the channel is going away). */
  async disconnect(): Promise<void> {
    const answer = await this.client.unsubscribe(this.webhookUrl);
    if (!answer.ok) this.context.logger.warn({ failure: answer.failure }, 'ok: unsubscribe failed');
  }

  /** Nothing to release: every call is a plain fetch. */
  async close(): Promise<void> {}
}
