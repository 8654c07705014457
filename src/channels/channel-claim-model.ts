import { type InferSchemaType, type Model, Schema, type Types } from 'mongoose';
import { claimUnique } from '../storage/unique-claim';
import type { ChannelDoc } from './channel-model';

/**
 * One change of a channel, claimed before it is made: the unique (channelId, seq) index lets only
 * one of two PATCHes that read the same channel go on (a `findOneAndUpdate` filtered on the
 * revision is atomic on MongoDB but not on FerretDB v1 under concurrency).
 */
export const channelClaimSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
channelClaimSchema.index({ channelId: 1, seq: 1 }, { unique: true });

export type ChannelClaimDoc = InferSchemaType<typeof channelClaimSchema>;

/**
 * Claims the change after `current.seq` (channels stored before claims existed count as 0); false
 * when another change claimed it first. The holder updates with `$inc: { seq: 1 }`.
 */
export function claimChannelChange(
  models: { Channel: Model<ChannelDoc>; ChannelClaim: Model<ChannelClaimDoc> },
  current: { _id: Types.ObjectId; workspaceId: Types.ObjectId; seq?: number | null },
): Promise<boolean> {
  const seq = current.seq ?? 0;
  const stillOpen = async () =>
    ((await models.Channel.findById(current._id).select({ seq: 1 }).lean().exec())?.seq ?? 0) === seq;
  return claimUnique(
    models.ChannelClaim,
    { channelId: current._id, seq },
    { workspaceId: current.workspaceId },
    stillOpen,
  );
}
