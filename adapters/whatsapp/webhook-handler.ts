import type { AdapterLogger, NormalizedEvent, WebhookRequest, WebhookResult } from '../contract';
import { rejected } from '../contract';
import { parseJsonBody } from '../shared/signatures';
import { mapMessagesValue } from './inbound-mapper';
import { messagesValue, webhookEnvelope } from './webhook-schema';
import { answerVerification, eventReceived, verifySignature } from './webhook-verification';

export interface WebhookSettings {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  logger: AdapterLogger;
}

/**
 * GET: Meta's callback verification. POST: signature first, then the envelope (malformed → 400),
 * then every `messages` change of THIS phone number (a WABA's other numbers may share the app's
 * callback) mapped to events. One notification may carry several messages and statuses.
 */
export async function handleWhatsappWebhook(
  request: WebhookRequest,
  settings: WebhookSettings,
): Promise<WebhookResult> {
  if (request.method === 'GET') return answerVerification(request, settings.verifyToken);
  const refusal = verifySignature(request, settings.appSecret);
  if (refusal) return refusal;
  const envelope = webhookEnvelope.safeParse(parseJsonBody(request.rawBody));
  if (!envelope.success) return rejected(400, 'not a whatsapp_business_account notification');
  const events: NormalizedEvent[] = [];
  for (const change of envelope.data.entry.flatMap((entry) => entry.changes)) {
    if (change.field !== 'messages') continue;
    const value = messagesValue.safeParse(change.value);
    if (!value.success) return rejected(400, 'a messages change without metadata');
    if (value.data.metadata.phone_number_id !== settings.phoneNumberId) continue;
    for (const item of mapMessagesValue(value.data)) {
      if (item.kind === 'event') events.push(item.event);
      else settings.logger.debug({ skipped: item.what }, 'whatsapp: webhook item not mapped');
    }
  }
  return { outcome: 'accepted', events, response: eventReceived() };
}
