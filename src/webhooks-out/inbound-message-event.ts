import type { NormalizedEvent, PlatformUser } from '../../adapters/contract';

type InboundMessage = Extract<NormalizedEvent, { type: 'inbound-message' }>;

/** What a `message.inbound` event carries (`data` of the webhook body). */
export interface InboundMessageData {
  [key: string]: unknown;
  channelId: string;
  channelType: string;
  externalMessageId: string;
  from: PlatformUser;
  text: string;
  /** Every attachment in order; `fileId` is the kept file (GET /v1/attachments/{fileId}), null when none was kept. */
  attachments: Array<{ kind: string; fileId: string | null }>;
  receivedAt: string;
}

/** The deterministic event id of a stored channel event, so a re-processed event publishes once. */
export function inboundMessageEventId(channelEventId: string): string {
  return `msg_${channelEventId}`;
}

/**
 * The `message.inbound` data of a processed inbound message. `files` are the kept files by
 * attachment index, as the channel event worker stores them.
 */
export function inboundMessageData(input: {
  channelId: string;
  channelType: string;
  event: InboundMessage;
  files: ReadonlyArray<{ index: number; fileId: unknown }>;
  receivedAt: Date;
}): InboundMessageData {
  const fileIds = new Map(input.files.map((file) => [file.index, file.fileId ? String(file.fileId) : null]));
  return {
    channelId: input.channelId,
    channelType: input.channelType,
    externalMessageId: input.event.externalMessageId,
    from: input.event.from,
    text: input.event.text,
    attachments: input.event.attachments.map((attachment, index) => ({
      kind: attachment.kind,
      fileId: fileIds.get(index) ?? null,
    })),
    receivedAt: input.receivedAt.toISOString(),
  };
}
