import type { Redis } from 'ioredis';
import type { Recipient } from '../../adapters/contract';
import { definitionOf } from '../channels/channel-runtime';
import { createRateGate } from '../rate-limits/rate-gate';
import { rateLimitKey } from '../rate-limits/rate-limit-keys';
import { createTokenBucket } from '../rate-limits/token-bucket';
import type { SendGuards } from './notification-context';

/** Guards with the channel's bot-wide rate limit only (limits per chat, caps and spend come with `src/limits`). */
export function createSendGuards(redis: Redis, prefix: string): SendGuards {
  const gate = createRateGate({ bucket: createTokenBucket({ redis }) });
  return {
    admit: async () => ({ ok: true, capToken: null, spend: null }),
    release: async () => {},
    async waitForRate({ channel }) {
      const perSecond = definitionOf(channel.type).capabilities(channel.settings as never).rateLimit
        .perSecond;
      await gate.acquire([
        { key: rateLimitKey(prefix, String(channel._id), 'bot'), ratePerSecond: perSecond, burst: perSecond },
      ]);
    },
  };
}

export type { Recipient };
