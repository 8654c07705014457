import { type InferSchemaType, Schema } from 'mongoose';
import { channelKinds } from '../../adapters/contract';

export const connectionStates = ['registered', 'manual', 'not-needed', 'failed'] as const;

const channelLimitsSchema = new Schema(
  {
    perSecond: { type: Number },
    burst: { type: Number },
    perChatPerSecond: { type: Number },
    perChatBurst: { type: Number },
    recipientDailyLimit: { type: Number },
  },
  { _id: false, strict: 'throw', minimize: false },
);

/**
 * A channel account of a workspace (a VK community, a Telegram bot, an SMPP login…). Plain config
 * fields live in `settings`; fields the adapter marks secret live sealed in `secrets` (AES-256-GCM,
 * bound to the channel id), as does the per-channel webhook key.
 */
export const channelSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, enum: channelKinds, required: true },
    name: { type: String, required: true, trim: true },
    settings: { type: Schema.Types.Mixed, default: {} },
    secrets: { type: Schema.Types.Mixed, default: {} },
    webhookKey: { type: String, required: true },
    /** Bumped on every config change; running adapters are rebuilt when it moves. */
    revision: { type: Number, default: 1 },
    /** Changes made so far (any PATCH); each one claims `seq` in channel claims first. */
    seq: { type: Number, default: 0 },
    /**
     * Overrides of the channel type's delivery limits (`limits/channel-limits.ts`); an absent
     * field is the default, `null` turns an optional limit off. Read through `effectiveLimits`.
     */
    limits: { type: channelLimitsSchema, default: undefined },
    connection: {
      state: { type: String, enum: connectionStates, required: true },
      detail: { type: String, default: '' },
      checkedAt: { type: Date, required: true },
    },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
channelSchema.index({ workspaceId: 1, name: 1 }, { unique: true });
channelSchema.index({ workspaceId: 1, type: 1 });

export type ChannelDoc = InferSchemaType<typeof channelSchema>;
