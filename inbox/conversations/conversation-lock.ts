import type { Redis } from 'ioredis';
import { createKeyedLock, type KeyedLock } from '../../src/storage/keyed-lock';

/**
 * One mutex per conversation: every read-modify-write of a conversation document (ingest,
 * operator actions, assignment, delivery ticks on its preview) runs under it, because FerretDB v1
 * rewrites whole documents and concurrent unlocked updates lose fields.
 */
export type ConversationLock = KeyedLock;

export function createConversationLock(redis: Redis, prefix: string): ConversationLock {
  return createKeyedLock(redis, `${prefix}:conv-lock`);
}
