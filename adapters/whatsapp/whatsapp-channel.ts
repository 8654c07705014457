import {
  type AdapterContext,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ConnectResult,
  type DownloadResult,
  type OutboundContent,
  permanent,
  type Recipient,
  refusalResult,
  type SendOptions,
  type SendResult,
  sent,
  validateContent,
  type WebhookRequest,
  type WebhookResult,
} from '../contract';
import { whatsappCapabilities } from './capabilities';
import type { WhatsappConfig } from './config-schema';
import { checkWhatsappRules } from './content-rules';
import { describeFailure, GraphClient } from './graph-client';
import { downloadMedia, uploadImage } from './media';
import { renderMessage } from './outbound-renderer';
import { WhatsappTemplates } from './templates';
import { handleWhatsappWebhook } from './webhook-handler';

/** `to` of a send request: a WhatsApp id / phone number in digits. */
function recipientAddress(recipient: Recipient): string | null {
  if (recipient.kind === 'user') return recipient.externalUserId;
  if (recipient.kind === 'phone') return recipient.phone.replace(/^\+/, '');
  return null;
}

/** The wamid of a send answer: `{"messaging_product","contacts":[…],"messages":[{"id":"wamid.…"}]}`. */
function messageIdOf(body: unknown): string | null {
  const messages = (body as { messages?: unknown } | null)?.messages;
  const id = Array.isArray(messages) ? (messages[0] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/**
 * A WhatsApp Business phone number on the Cloud API, over plain HTTP (no SDK).
 *
 * Not promised: idempotent sends — the Cloud API has no idempotency key, so a send retried after a
 * timeout may deliver twice (our `messageId` travels as `biz_opaque_callback_data` and comes back in
 * status webhooks). A free-form message outside the 24-hour window is usually ACCEPTED and then
 * fails asynchronously (`failed` status, error 131047), so `send` succeeding does not mean it can
 * be delivered; the status update says so.
 */
export class WhatsappChannel implements ChannelAdapter {
  readonly kind = 'whatsapp' as const;
  readonly capabilities: ChannelCapabilities = whatsappCapabilities();
  readonly templates: WhatsappTemplates;
  private readonly graph: GraphClient;

  constructor(
    private readonly config: WhatsappConfig,
    private readonly context: AdapterContext,
  ) {
    this.graph = new GraphClient({
      apiBaseUrl: config.apiBaseUrl,
      apiVersion: config.apiVersion,
      accessToken: config.accessToken,
      timeoutMs: context.requestTimeoutMs,
    });
    this.templates = new WhatsappTemplates(this.graph, config.wabaId, config.templateLanguage);
  }

  private get verifyToken(): string {
    return this.config.verifyToken ?? this.context.webhook.key;
  }

  async send(recipient: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult> {
    const refusal = validateContent(this.capabilities, content);
    if (refusal) return refusalResult(refusal);
    const ruleBroken = checkWhatsappRules(content);
    if (ruleBroken) return ruleBroken;
    const to = recipientAddress(recipient);
    if (!to) return permanent('recipient-invalid', 'WhatsApp addresses users by phone number or WhatsApp id');
    const image = content.type === 'text' ? content.images?.[0] : undefined;
    const upload = image ? await uploadImage(this.graph, this.config.phoneNumberId, image) : null;
    if (upload && !upload.ok) return { ok: false, failure: upload.failure };
    const message = renderMessage({
      to,
      content,
      options,
      imageId: upload?.ok ? upload.id : null,
      templateLanguage: this.config.templateLanguage,
    });
    const call = await this.graph.request('POST', `${this.config.phoneNumberId}/messages`, message);
    if (!call.ok) {
      this.context.logger.warn(
        { messageId: options.messageId, failure: call.failure.kind },
        'whatsapp: send failed',
      );
      return { ok: false, failure: call.failure };
    }
    const wamid = messageIdOf(call.body);
    return wamid ? sent(wamid) : permanent('rejected', 'the Cloud API accepted the message without an id');
  }

  handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    return handleWhatsappWebhook(request, {
      appSecret: this.config.appSecret,
      verifyToken: this.verifyToken,
      phoneNumberId: this.config.phoneNumberId,
      logger: this.context.logger,
    });
  }

  downloadAttachment(fileRef: string, maxBytes: number): Promise<DownloadResult> {
    return downloadMedia(this.graph, fileRef, maxBytes, this.context.requestTimeoutMs);
  }

  /**
   * Subscribes the Meta app to this WABA with a callback override pointing at our webhook
   * (`POST /{waba-id}/subscribed_apps {override_callback_uri, verify_token}`); Meta verifies the URL
   * with a GET before it answers. Still manual: the app itself must subscribe to the `messages`
   * webhook field in the App Dashboard (no API with this token can do that), and the app secret
   * comes from there.
   */
  async connect(): Promise<ConnectResult> {
    const call = await this.graph.request('POST', `${this.config.wabaId}/subscribed_apps`, {
      override_callback_uri: this.context.webhook.url,
      verify_token: this.verifyToken,
    });
    if (!call.ok) return { webhook: 'failed', detail: `subscribed_apps: ${describeFailure(call)}` };
    return {
      webhook: 'manual',
      instructions: [
        `Meta verified ${this.context.webhook.url} and sends this WhatsApp Business Account's messages webhooks there.`,
        'Once per Meta app: App Dashboard → WhatsApp → Configuration → Webhook fields → subscribe "messages"',
        `(if the app has no callback URL yet, use the same URL and the verify token "${this.verifyToken}").`,
        'The app secret (App settings → Basic) must match this channel\'s "appSecret".',
      ].join(' '),
    };
  }

  async close(): Promise<void> {
    // Plain HTTP requests only: nothing to release.
  }
}
