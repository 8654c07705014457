import { type InferSchemaType, Schema } from 'mongoose';

/** How an uploaded flow file was written (its `Content-Type`). */
export const botFlowFormats = ['yaml', 'json'] as const;
export type BotFlowFormat = (typeof botFlowFormats)[number];

/** Who uploaded a version: an operator session or an API key. */
const createdBySchema = new Schema(
  {
    type: { type: String, enum: ['operator', 'api-key'], required: true },
    id: { type: String, required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

/**
 * One uploaded version of a workspace's bot flow, never changed once stored: `source` is the file
 * as uploaded (compiled again when a process first needs it). `channels`, `notifications` and
 * `entryCount` are copied from the compiled flow for listings. Versions count 1, 2, … per
 * (workspace, name); the unique index is what makes a version number taken exactly once.
 */
export const botFlowVersionSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    version: { type: Number, required: true },
    source: { type: String, required: true },
    format: { type: String, enum: botFlowFormats, required: true },
    /** null: every channel of the workspace. */
    channels: { type: [String], default: null },
    notifications: { type: [String], default: [] },
    entryCount: { type: Number, required: true },
    createdBy: { type: createdBySchema, required: true },
    createdAt: { type: Date, required: true },
  },
  { strict: 'throw', minimize: false, collection: 'bot_flow_versions' },
);
botFlowVersionSchema.index({ workspaceId: 1, name: 1, version: 1 }, { unique: true });

export type BotFlowVersionDoc = InferSchemaType<typeof botFlowVersionSchema>;

/**
 * The head of one flow of a workspace: which version runs (`activeVersion`, null until one is
 * activated), the newest one stored, and whether the flow runs at all. Changed only under the
 * flow's Redis lock (FerretDB v1 does not apply conditional updates atomically).
 */
export const botFlowHeadSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    activeVersion: { type: Number, default: null },
    latestVersion: { type: Number, required: true },
    enabled: { type: Boolean, required: true, default: true },
    updatedAt: { type: Date, required: true },
  },
  { strict: 'throw', minimize: false, collection: 'bot_flow_heads' },
);
botFlowHeadSchema.index({ workspaceId: 1, name: 1 }, { unique: true });

export type BotFlowHeadDoc = InferSchemaType<typeof botFlowHeadSchema>;
