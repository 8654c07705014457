import { type InferSchemaType, Schema } from 'mongoose';

export const channelEventStates = ['received', 'processed', 'failed'] as const;

/**
 * A normalized platform event, stored before the platform gets its answer. The unique index on
 * (channelId, eventKey) is what makes a webhook delivered five times one event, across processes.
 */
export const channelEventSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    eventKey: { type: String, required: true },
    type: { type: String, required: true },
    /** The normalized event (adapters/contract `NormalizedEvent`), dates as Dates. */
    event: { type: Schema.Types.Mixed, required: true },
    /** The platform's request body as received (UTF-8, capped), for audits and replays. */
    raw: { type: String, default: '' },
    state: { type: String, enum: channelEventStates, default: 'received' },
    attempts: { type: Number, default: 0 },
    /** Files downloaded from the platform, by attachment index. */
    files: {
      type: [
        {
          _id: false,
          index: { type: Number, required: true },
          fileId: { type: Schema.Types.ObjectId, default: null },
          size: { type: Number, default: 0 },
          mimeType: { type: String, default: '' },
          error: { type: String, default: '' },
        },
      ],
      default: [],
    },
    error: { type: String, default: '' },
    processedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
channelEventSchema.index({ channelId: 1, eventKey: 1 }, { unique: true });
channelEventSchema.index({ state: 1, createdAt: 1 });

export type ChannelEventDoc = InferSchemaType<typeof channelEventSchema>;
