/**
 * Redis key names for rate limits. Every key of one channel carries the channel id as its Redis
 * Cluster hash tag (`{channelId}`), so a script touching the bot bucket and a chat bucket of the
 * same channel stays in one slot. Keys of different channels deliberately do not share a slot.
 */

/**
 * The key of one limit, e.g. `rateLimitKey('vestnik', 'ch1', 'chat', '42')` →
 * `vestnik:rl:{ch1}:chat:42`. `scope` names what the limit counts (`bot`, `chat:<id>`, `number`).
 */
export function rateLimitKey(prefix: string, channelId: string, ...scope: string[]): string {
  return [`${prefix}:rl:{${channelId}}`, ...scope].join(':');
}

/**
 * The part of `key` Redis Cluster hashes, by its rules: the text between the first `{` and the
 * first `}` after it when that text is non-empty, else the whole key.
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}
