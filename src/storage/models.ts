import type { Connection, Model } from 'mongoose';
import {
  type BotFlowHeadDoc,
  type BotFlowVersionDoc,
  botFlowHeadSchema,
  botFlowVersionSchema,
} from '../../inbox/bot/bot-flow-model';
import { type BotTurnDoc, botTurnSchema } from '../../inbox/bot/bot-turn-model';
import { type CannedResponseDoc, cannedResponseSchema } from '../../inbox/canned/canned-response-model';
import { type ContactIdentityDoc, contactIdentitySchema } from '../../inbox/contacts/contact-identity-model';
import { type ContactDoc, contactSchema } from '../../inbox/contacts/contact-model';
import { type ConversationDoc, conversationSchema } from '../../inbox/conversations/conversation-model';
import { type MessageDoc, messageSchema } from '../../inbox/messages/message-model';
import { type InboxEventDoc, inboxEventSchema } from '../../inbox/realtime/inbox-event-model';
import { type ApiKeyDoc, apiKeySchema } from '../auth/api-key-model';
import { type OperatorDoc, operatorSchema } from '../auth/operator-model';
import { type SessionDoc, sessionSchema } from '../auth/session-model';
import { type ChannelClaimDoc, channelClaimSchema } from '../channels/channel-claim-model';
import { type ChannelEventDoc, channelEventSchema } from '../channels/channel-event-model';
import { type ChannelDoc, channelSchema } from '../channels/channel-model';
import { type IdempotencyKeyDoc, idempotencyKeySchema } from '../http/idempotency-key-model';
import { type AttemptDoc, attemptSchema } from '../notifications/attempt-model';
import { type NotificationDoc, notificationSchema } from '../notifications/notification-model';
import {
  type RecipientConfirmationDoc,
  recipientConfirmationSchema,
} from '../notifications/recipient-confirmation-model';
import { type TemplateClaimDoc, templateClaimSchema } from '../templates/template-claim-model';
import { type TemplateDoc, templateSchema } from '../templates/template-model';
import { type UsageDoc, usageSchema } from '../usage/usage-model';
import {
  type WebhookAttemptDoc,
  type WebhookDeliveryDoc,
  type WebhookEndpointDoc,
  type WebhookEventDoc,
  type WebhookSigningSecretDoc,
  webhookAttemptSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookEventSchema,
  webhookSigningSecretSchema,
} from '../webhooks-out/webhook-models';
import { type WorkspaceDoc, workspaceSchema } from '../workspaces/workspace-model';

export interface Models {
  Workspace: Model<WorkspaceDoc>;
  ApiKey: Model<ApiKeyDoc>;
  Operator: Model<OperatorDoc>;
  Session: Model<SessionDoc>;
  Channel: Model<ChannelDoc>;
  ChannelClaim: Model<ChannelClaimDoc>;
  ChannelEvent: Model<ChannelEventDoc>;
  Template: Model<TemplateDoc>;
  TemplateClaim: Model<TemplateClaimDoc>;
  WebhookEndpoint: Model<WebhookEndpointDoc>;
  WebhookEvent: Model<WebhookEventDoc>;
  WebhookDelivery: Model<WebhookDeliveryDoc>;
  WebhookAttempt: Model<WebhookAttemptDoc>;
  WebhookSigningSecret: Model<WebhookSigningSecretDoc>;
  Contact: Model<ContactDoc>;
  ContactIdentity: Model<ContactIdentityDoc>;
  Conversation: Model<ConversationDoc>;
  InboxMessage: Model<MessageDoc>;
  InboxEvent: Model<InboxEventDoc>;
  CannedResponse: Model<CannedResponseDoc>;
  Notification: Model<NotificationDoc>;
  NotificationAttempt: Model<AttemptDoc>;
  RecipientConfirmation: Model<RecipientConfirmationDoc>;
  IdempotencyKey: Model<IdempotencyKeyDoc>;
  Usage: Model<UsageDoc>;
  BotFlow: Model<BotFlowVersionDoc>;
  BotFlowHead: Model<BotFlowHeadDoc>;
  BotTurn: Model<BotTurnDoc>;
}

/** Registers every model on one connection and builds their indexes (unique ones matter). */
export async function createModels(connection: Connection): Promise<Models> {
  const models: Models = {
    Workspace: connection.model<WorkspaceDoc>('Workspace', workspaceSchema),
    ApiKey: connection.model<ApiKeyDoc>('ApiKey', apiKeySchema),
    Operator: connection.model<OperatorDoc>('Operator', operatorSchema),
    Session: connection.model<SessionDoc>('Session', sessionSchema),
    Channel: connection.model<ChannelDoc>('Channel', channelSchema),
    ChannelClaim: connection.model<ChannelClaimDoc>('ChannelClaim', channelClaimSchema),
    ChannelEvent: connection.model<ChannelEventDoc>('ChannelEvent', channelEventSchema),
    Template: connection.model<TemplateDoc>('Template', templateSchema),
    TemplateClaim: connection.model<TemplateClaimDoc>('TemplateClaim', templateClaimSchema),
    WebhookEndpoint: connection.model<WebhookEndpointDoc>('WebhookEndpoint', webhookEndpointSchema),
    WebhookEvent: connection.model<WebhookEventDoc>('WebhookEvent', webhookEventSchema),
    WebhookDelivery: connection.model<WebhookDeliveryDoc>('WebhookDelivery', webhookDeliverySchema),
    WebhookAttempt: connection.model<WebhookAttemptDoc>('WebhookAttempt', webhookAttemptSchema),
    WebhookSigningSecret: connection.model<WebhookSigningSecretDoc>(
      'WebhookSigningSecret',
      webhookSigningSecretSchema,
    ),
    Contact: connection.model<ContactDoc>('Contact', contactSchema),
    ContactIdentity: connection.model<ContactIdentityDoc>('ContactIdentity', contactIdentitySchema),
    Conversation: connection.model<ConversationDoc>('Conversation', conversationSchema),
    InboxMessage: connection.model<MessageDoc>('InboxMessage', messageSchema),
    InboxEvent: connection.model<InboxEventDoc>('InboxEvent', inboxEventSchema),
    CannedResponse: connection.model<CannedResponseDoc>('CannedResponse', cannedResponseSchema),
    Notification: connection.model<NotificationDoc>('Notification', notificationSchema),
    NotificationAttempt: connection.model<AttemptDoc>('NotificationAttempt', attemptSchema),
    RecipientConfirmation: connection.model<RecipientConfirmationDoc>(
      'RecipientConfirmation',
      recipientConfirmationSchema,
    ),
    IdempotencyKey: connection.model<IdempotencyKeyDoc>('IdempotencyKey', idempotencyKeySchema),
    Usage: connection.model<UsageDoc>('Usage', usageSchema),
    BotFlow: connection.model<BotFlowVersionDoc>('BotFlow', botFlowVersionSchema),
    BotFlowHead: connection.model<BotFlowHeadDoc>('BotFlowHead', botFlowHeadSchema),
    BotTurn: connection.model<BotTurnDoc>('BotTurn', botTurnSchema),
  };
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.init()));
  return models;
}
