import { type InferSchemaType, Schema } from 'mongoose';

/** What became of one customer turn in a flow (the engine's `TurnOutcome`). */
export const botTurnOutcomes = ['answered', 'missed', 'handoff', 'error'] as const;

/** Longest `normalized` and `text` kept: enough to group and show a question, not a whole letter. */
export const botTurnTextLimits = { normalized: 300, text: 500 } as const;

/**
 * One customer turn a flow took, kept for the report of questions the bot did not understand and
 * FAQ entries never matched. Purged after `botTurnRetentionMs` by housekeeping (no TTL index on
 * FerretDB v1).
 */
export const botTurnSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    flowName: { type: String, required: true },
    flowVersion: { type: Number, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    outcome: { type: String, enum: botTurnOutcomes, required: true },
    /** The FAQ entry that answered; null when none did. */
    entryId: { type: String, default: null },
    confidence: { type: Number, required: true, default: 0 },
    /** The question as the matcher saw it (case, ё, punctuation folded). */
    normalized: { type: String, default: '' },
    /** The customer's text as written. */
    text: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { strict: 'throw', minimize: false, collection: 'bot_turns' },
);
botTurnSchema.index({ workspaceId: 1, flowName: 1, at: 1 });
botTurnSchema.index({ at: 1 });

export type BotTurnDoc = InferSchemaType<typeof botTurnSchema>;
