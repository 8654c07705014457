export type {
  AdapterContext,
  AdapterDefinition,
  AdapterLogger,
  ChannelAdapter,
  ConnectResult,
  DownloadedFile,
  DownloadResult,
  PlatformTemplate,
  PlatformTemplateStatus,
  PlatformTemplates,
} from './adapter';
export type { ButtonKind, ChannelCapabilities, Initiation } from './capabilities';
export { type ChannelKind, channelKinds, isChannelKind } from './channel-kind';
export type { Button, OutboundContent, OutboundImage, Recipient, SendOptions } from './content';
export type {
  AttachmentKind,
  DeliveryStatus,
  InboundAttachment,
  NormalizedEvent,
  NormalizedEventType,
  PlatformUser,
} from './events';
export {
  describeSendFailure,
  type PermanentReason,
  permanent,
  rateLimited,
  retryable,
  type SendFailure,
  type SendResult,
  sent,
  type WithdrawResult,
} from './results';
export { type ContentRefusal, refusalResult, validateContent } from './validate-content';
export {
  jsonResponse,
  rejected,
  textResponse,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookResult,
} from './webhook';
