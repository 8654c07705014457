import type { Params } from 'vk-io';
import {
  type AdapterContext,
  type ChannelAdapter,
  type ConnectResult,
  type DownloadResult,
  type NormalizedEvent,
  type OutboundContent,
  permanent,
  type Recipient,
  refusalResult,
  rejected,
  type SendOptions,
  type SendResult,
  sent,
  textResponse,
  validateContent,
  type WebhookRequest,
  type WebhookResult,
  type WithdrawResult,
} from '../contract';
import { downloadLimited } from '../shared/platform-http';
import { registerCallbackServer, removeCallbackServer } from './callback-server';
import { vkCapabilities } from './capabilities';
import type { VkConfig } from './config-schema';
import { mapCallback } from './inbound-mapper';
import { KeyboardError, peerIdOf, renderSendParams } from './outbound-renderer';
import { VkApiClient } from './vk-api-client';
import { callbackServerUrl, checkCallback } from './webhook-verification';

/** VK's answer to every accepted event; anything else makes VK retry. */
const okResponse = textResponse('ok');

interface DeletedItem {
  response?: number;
  error?: { code: number; description: string };
}

/** One VK community: community messages over the API (vk-io), events over the Callback API. */
export class VkAdapter implements ChannelAdapter {
  readonly kind = 'vk' as const;
  readonly capabilities = vkCapabilities;
  private readonly api: VkApiClient;

  constructor(
    private readonly config: VkConfig,
    private readonly context: AdapterContext,
  ) {
    this.api = new VkApiClient(config, context.requestTimeoutMs);
  }

  async send(recipient: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult> {
    const refusal = validateContent(this.capabilities, content);
    if (refusal) return refusalResult(refusal);
    const peerId = recipient.kind === 'user' ? peerIdOf(recipient.externalUserId) : null;
    if (peerId === null) return permanent('recipient-invalid', 'VK sends to numeric user ids only');
    let params: Params.MessagesSendParams;
    try {
      params = renderSendParams(peerId, content, options);
    } catch (error) {
      if (error instanceof KeyboardError)
        return permanent('content-invalid', error.message, 'buttons.payload');
      throw error;
    }
    const result = await this.api.call<number>('messages.send', params);
    if (!result.ok) return result;
    return sent(String(result.response));
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    const check = checkCallback(this.config, this.context.webhook.key, request);
    if (check.kind === 'rejected') return rejected(check.status, check.reason);
    if (check.kind === 'confirmation')
      return { outcome: 'accepted', events: [], response: textResponse(this.config.confirmationCode) };
    const mapped = mapCallback(check.envelope, check.key);
    if (mapped.kind === 'malformed')
      return rejected(400, `malformed ${check.envelope.type}: ${mapped.detail}`);
    if (mapped.kind === 'unsupported') {
      this.context.logger.debug({ type: mapped.type }, 'vk: event type not handled');
      return { outcome: 'accepted', events: [], response: okResponse };
    }
    return { outcome: 'accepted', events: mapped.events, response: okResponse };
  }

  /** messages.delete for everyone (VK allows it within 24 hours of sending). */
  async withdraw(target: { externalMessageId: string; recipient: Recipient }): Promise<WithdrawResult> {
    const messageId = peerIdOf(target.externalMessageId);
    const peerId = target.recipient.kind === 'user' ? peerIdOf(target.recipient.externalUserId) : null;
    if (messageId === null || peerId === null) return permanent('recipient-invalid', 'not a VK message id');
    const result = await this.api.call<DeletedItem[]>('messages.delete', {
      peer_id: peerId,
      message_ids: messageId,
      delete_for_all: 1,
    });
    if (!result.ok) return result;
    const item = Array.isArray(result.response) ? result.response[0] : undefined;
    if (item?.response === 1) return { ok: true };
    const error = item?.error;
    return permanent(
      'rejected',
      error ? `VK error ${error.code}: ${error.description}` : 'not deleted',
      error?.code,
    );
  }

  /** Closes the spinner on the user's callback button (messages.sendMessageEventAnswer). */
  async acknowledgeButton(event: Extract<NormalizedEvent, { type: 'button-press' }>): Promise<void> {
    if (!event.answerToken) return;
    const result = await this.api.call<number>('messages.sendMessageEventAnswer', {
      event_id: event.answerToken,
      user_id: event.from.externalUserId,
      peer_id: event.conversationId,
    });
    if (!result.ok) this.context.logger.warn({ failure: result.failure }, 'vk: button answer failed');
  }

  async downloadAttachment(fileRef: string, maxBytes: number): Promise<DownloadResult> {
    if (!/^https?:\/\//.test(fileRef))
      return { ok: false, reason: 'failed', detail: 'VK gives no file URL for this attachment' };
    const result = await downloadLimited(fileRef, { maxBytes, timeoutMs: this.context.requestTimeoutMs });
    if (!result.ok) return result;
    const fileName = decodeURIComponent(new URL(fileRef).pathname.split('/').at(-1) ?? '') || undefined;
    return fileName ? { ok: true, file: { ...result.file, fileName } } : result;
  }

  connect(): Promise<ConnectResult> {
    return registerCallbackServer(this.api, this.config, callbackServerUrl(this.context.webhook));
  }

  disconnect(): Promise<void> {
    return removeCallbackServer(this.api, this.config, callbackServerUrl(this.context.webhook));
  }

  async close(): Promise<void> {
    this.api.close();
  }
}
