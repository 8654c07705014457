import {
  type OutboundContent,
  permanent,
  type Recipient,
  type SendOptions,
  type SendResult,
} from '../contract';
import type { NotifyConfig } from './config-schema';
import type { NotifyRequestBody, NotifyRoute } from './wire-format';

export interface RenderContext {
  route: NotifyRoute;
  config: NotifyConfig;
  /** Where statuses go when the caller gives no `statusCallbackUrl`: this channel's webhook. */
  webhookUrl: string;
}

export type RenderResult = { ok: true; body: NotifyRequestBody } | { ok: false; result: SendResult };

/**
 * Our content → the gateway's notify request. Only approved templates travel: the gateway has no
 * free-text send, so `text` content is refused (`content-invalid`, code `template-required`).
 * The platform idempotency key `message_id` is our attempt id, so a retried send never doubles.
 */
export function renderNotifyRequest(
  recipient: Recipient,
  content: OutboundContent,
  options: SendOptions,
  context: RenderContext,
): RenderResult {
  if (recipient.kind !== 'phone') {
    return refuse(
      permanent('recipient-invalid', 'the notification gateway reaches users by phone number only'),
    );
  }
  if (content.type !== 'template') {
    return refuse(
      permanent(
        'content-invalid',
        'the notification gateway sends approved templates only; send template content',
        'template-required',
      ),
    );
  }
  return {
    ok: true,
    body: {
      phone: recipient.phone,
      route: context.route,
      template: content.template,
      params: content.params,
      policy: options.verifiedRecipientOnly ? 'verified_phone' : context.config.defaultPolicy,
      ttl: options.ttlSeconds ?? context.config.defaultTtlSeconds,
      callback_url: options.statusCallbackUrl ?? context.webhookUrl,
      message_id: options.messageId,
    },
  };
}

const refuse = (result: SendResult): RenderResult => ({ ok: false, result });
