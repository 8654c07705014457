import {
  type AdapterContext,
  type ChannelAdapter,
  type ChannelKind,
  jsonResponse,
  type OutboundContent,
  type Recipient,
  refusalResult,
  rejected,
  type SendOptions,
  type SendResult,
  validateContent,
  type WebhookRequest,
  type WebhookResult,
} from '../contract';
import { parseJsonBody } from '../shared/signatures';
import { notifyCapabilities } from './capabilities';
import type { NotifyConfig } from './config-schema';
import { mapNotifyResponse } from './error-mapping';
import { NotifyGatewayClient } from './gateway-client';
import { mapStatusCallback } from './inbound-mapper';
import { renderNotifyRequest } from './outbound-renderer';
import { createNotifyTemplates } from './platform-templates';
import { verifyCallbackSignature } from './webhook-verification';
import type { NotifyRoute } from './wire-format';

/** The answer the gateway expects to a status callback it should not retry. */
const callbackAck = jsonResponse({ ok: true });

/** A `vk-notify` or `ok-notify` channel: one gateway account, one route. */
export function createNotifyAdapter(
  kind: ChannelKind,
  route: NotifyRoute,
  config: NotifyConfig,
  context: AdapterContext,
): ChannelAdapter {
  const client = new NotifyGatewayClient(config, context.requestTimeoutMs);
  return {
    kind,
    capabilities: notifyCapabilities,
    templates: createNotifyTemplates(client),
    send: (recipient, content, options) =>
      sendNotification({ client, route, config, context }, recipient, content, options),
    handleWebhook: (request) => handleStatusCallback(request, config, context),
    // Callback URLs travel with every notification: nothing to register.
    connect: async () => ({ webhook: 'not-needed' }),
    close: async () => {},
  };
}

interface SendDeps {
  client: NotifyGatewayClient;
  route: NotifyRoute;
  config: NotifyConfig;
  context: AdapterContext;
}

/** Checks the content, renders the notify request, sends it and maps the gateway's answer. */
async function sendNotification(
  deps: SendDeps,
  recipient: Recipient,
  content: OutboundContent,
  options: SendOptions,
): Promise<SendResult> {
  const refusal = validateContent(notifyCapabilities, content);
  if (refusal) return refusalResult(refusal);
  const rendered = renderNotifyRequest(recipient, content, options, {
    route: deps.route,
    config: deps.config,
    webhookUrl: deps.context.webhook.url,
  });
  if (!rendered.ok) return rendered.result;
  const call = await deps.client.notify(rendered.body);
  const result: SendResult = call.ok
    ? mapNotifyResponse(call.response)
    : { ok: false, failure: call.failure };
  const outcome = result.ok ? 'sent' : result.failure.kind;
  deps.context.logger.debug({ messageId: options.messageId, outcome }, 'notify: send');
  return result;
}

async function handleStatusCallback(
  request: WebhookRequest,
  config: NotifyConfig,
  context: AdapterContext,
): Promise<WebhookResult> {
  const signature = verifyCallbackSignature(request, config.callbackSecret);
  if (!signature.ok) return rejected(401, signature.reason);
  const payload = parseJsonBody(request.rawBody);
  if (payload === undefined) return rejected(400, 'callback body is not JSON');
  const mapped = mapStatusCallback(payload);
  if (mapped.kind === 'malformed') return rejected(400, `malformed status callback: ${mapped.detail}`);
  if (mapped.kind === 'unsupported') {
    context.logger.warn({ status: mapped.status }, 'notify: unsupported callback status ignored');
    return { outcome: 'accepted', events: [], response: callbackAck };
  }
  return { outcome: 'accepted', events: [mapped.event], response: callbackAck };
}
