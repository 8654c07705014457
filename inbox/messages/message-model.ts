import { type InferSchemaType, Schema } from 'mongoose';

/**
 * `inbound`: from the customer; `outbound`: to the customer (an operator's or bot's reply, or a
 * notification / mailing recorded as a system message); `internal`: an operator's note, never sent.
 */
export const messageDirections = ['inbound', 'outbound', 'internal'] as const;
export type MessageDirection = (typeof messageDirections)[number];

/**
 * `text`: a chat message; `button`: a button the customer pressed; `notification` / `mailing`:
 * a system record of what a notification or mailing sent; `note`: internal note; `event`: a line
 * in the thread such as "assigned to Anna" (system, not sent).
 */
export const messageKinds = ['text', 'button', 'notification', 'mailing', 'note', 'event'] as const;
export type MessageKind = (typeof messageKinds)[number];

/** Outbound delivery, forward-only: queued → sending → sent → delivered → read, or failed / undelivered / expired. */
export const messageStatuses = [
  'received',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'undelivered',
  'expired',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const messageSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    direction: { type: String, enum: messageDirections, required: true },
    kind: { type: String, enum: messageKinds, required: true },
    /** Who wrote it: the customer, an operator (`operatorId`), the bot, or the system (notifications, mailings, events). */
    author: {
      _id: false,
      type: { type: String, enum: ['contact', 'operator', 'bot', 'system'], required: true },
      operatorId: { type: Schema.Types.ObjectId, default: null },
      name: { type: String, default: null },
    },
    text: { type: String, default: '' },
    attachments: [
      {
        _id: false,
        kind: { type: String, required: true },
        /** GridFS file id (inbound files are downloaded by the channel event worker); null when not kept. */
        fileId: { type: String, default: null },
        fileName: { type: String, default: null },
        mimeType: { type: String, default: null },
        size: { type: Number, default: null },
        /** location / contact attachments: their fields; failures: why the file is missing. */
        details: { type: Schema.Types.Mixed, default: null },
      },
    ],
    /**
     * Unique per workspace: `in:<channelId>:<externalMessageId>` for inbound (dedupe of platform
     * retries and of several ingesting processes), `ntf:<attemptId>` for notifications,
     * `out:<id>` for replies, `note:<id>`, `evt:<id>`.
     */
    dedupeKey: { type: String, required: true },
    externalMessageId: { type: String, default: null },
    status: { type: String, enum: messageStatuses, required: true },
    statusTimes: {
      _id: false,
      sent: { type: Date, default: null },
      delivered: { type: Date, default: null },
      read: { type: Date, default: null },
      failed: { type: Date, default: null },
    },
    failureReason: { type: String, default: null },
    /** For `notification` / `mailing` messages: what sent it. */
    source: {
      type: new Schema(
        {
          kind: { type: String, enum: ['notification', 'mailing'], required: true },
          id: { type: String, required: true },
          /** Template or mailing name shown to the operator. */
          name: { type: String, required: true },
          attemptId: { type: String, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    /** For an operator's template reply (outside a reply window): what the sender renders again. */
    template: {
      type: new Schema(
        {
          id: { type: String, required: true },
          name: { type: String, required: true },
          params: { type: Schema.Types.Mixed, default: {} },
        },
        { _id: false },
      ),
      default: null,
    },
    /** For inbound messages: the outbound message it answers (copied so the thread needs no second read). */
    replyTo: {
      type: new Schema(
        {
          messageId: { type: Schema.Types.ObjectId, required: true },
          /** true when no platform reference linked it (the latest notification / mailing within 7 days). */
          inferred: { type: Boolean, required: true },
          /** How it was linked: `platform-reply`, `button-payload` or `recent`. */
          via: { type: String, required: true },
          kind: { type: String, required: true },
          name: { type: String, default: null },
          text: { type: String, default: '' },
        },
        { _id: false },
      ),
      default: null,
    },
    /** Id of the channel event it came from (inbound), for tracing. */
    channelEventId: { type: String, default: null },
    /** The button payload (kind `button`), or the keyboard button payload an inbound text carried. */
    payload: { type: String, default: null },
    /** Buttons of an outbound message (the bot's, as rendered for the channel); the sender sends them. */
    buttons: {
      type: [
        new Schema(
          {
            kind: { type: String, enum: ['reply', 'callback', 'link'], required: true },
            label: { type: String, required: true },
            payload: { type: String, default: null },
            url: { type: String, default: null },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { timestamps: true, strict: 'throw', minimize: false, collection: 'inbox_messages' },
);
messageSchema.index({ workspaceId: 1, dedupeKey: 1 }, { unique: true });
messageSchema.index({ workspaceId: 1, conversationId: 1, _id: -1 });
messageSchema.index({ channelId: 1, externalMessageId: 1 });

export type MessageDoc = InferSchemaType<typeof messageSchema>;
