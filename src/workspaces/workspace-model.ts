import { type InferSchemaType, Schema } from 'mongoose';

const routeStepSchema = new Schema(
  {
    /** A channel id of the workspace or a channel type. */
    channel: { type: String, required: true },
    ttlSeconds: { type: Number, required: true },
  },
  { _id: false, strict: 'throw' },
);

/** Delivery settings; read them through `getWorkspaceSettings` (fills defaults for older documents). */
const settingsSchema = new Schema(
  {
    defaultRoute: { type: [routeStepSchema], default: [] },
    recipientLimitExempt: { type: Boolean, default: false },
    smsSpend: {
      pricePerSegment: { type: Number, default: 0 },
      monthlyCap: { type: Number, default: null },
    },
  },
  { _id: false, strict: 'throw' },
);

export const workspaceSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    /** A workspace created by local-mode seeding, shown as such in listings. */
    demo: { type: Boolean, default: false },
    settings: { type: settingsSchema, default: () => ({}) },
  },
  { timestamps: true, strict: 'throw' },
);

export type WorkspaceDoc = InferSchemaType<typeof workspaceSchema>;
