import { type InferSchemaType, Schema } from 'mongoose';

const idempotencyStates = ['in-flight', 'completed'] as const;

/**
 * One `Idempotency-Key` a workspace used. Inserting it is the claim: the unique (workspaceId, key)
 * index lets exactly one of several concurrent first requests in (a conditional update would not be
 * atomic on FerretDB v1). `response` holds what the first request answered, byte for byte, once it
 * is `completed`. Purged by housekeeping a while after `createdAt` (no TTL indexes: FerretDB).
 */
export const idempotencyKeySchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    /** SHA-256 (hex) of method, path and canonical JSON body: the same key must come with the same request. */
    fingerprint: { type: String, required: true },
    state: { type: String, enum: idempotencyStates, required: true },
    /** Until then an in-flight claim belongs to its request; after it, a retry may take it over. */
    lockedUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true, index: true },
    response: {
      type: new Schema(
        {
          status: { type: Number, required: true },
          contentType: { type: String, required: true },
          /** The serialized body as sent; empty for 204. */
          body: { type: String, default: '' },
        },
        { _id: false, strict: 'throw' },
      ),
      default: null,
    },
  },
  { strict: 'throw' },
);
idempotencyKeySchema.index({ workspaceId: 1, key: 1 }, { unique: true });

export type IdempotencyKeyDoc = InferSchemaType<typeof idempotencyKeySchema>;
