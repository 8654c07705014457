import JSONbig from 'json-bigint';
import type { SeededRandom } from '../../seeded-random';

/**
 * Viber's wire JSON: `message_token` is a 64-bit integer written as a bare JSON number (e.g.
 * 5741311803571721087, above 2^53), so payloads keep tokens as `bigint` and are serialized with
 * json-bigint, which writes them digit for digit. Clients that parse with `JSON.parse` lose
 * precision, exactly as they would against the real API.
 */
export const viberWireJson = JSONbig({ useNativeBigInt: true });

/** `chat_hostname` as the real API reports it (docs examples: "SN-CHAT-05_", "SN-172_"). */
export const viberChatHostname = 'SN-CHAT-05_';

/** A message token like the real ones: 19 decimal digits, below 2^63. */
export function newMessageToken(random: SeededRandom): bigint {
  const digits = String(random.int(1, 8)) + Array.from({ length: 18 }, () => random.int(0, 9)).join('');
  return BigInt(digits);
}

/** Milliseconds since the epoch, Viber's `timestamp`. */
export const viberTimestamp = (now: Date): number => now.getTime();
