import type { Redis } from 'ioredis';
import { withTimeout } from '../../src/timeouts';

/**
 * Tells every process that a workspace's uploaded flows changed (upload, rollback, enable,
 * disable, delete), so their registries read the heads again at once instead of after
 * `BOT_FLOWS_REFRESH_MS`. Not promised: delivery (Redis pub/sub is fire-and-forget); the refresh
 * interval is the fallback.
 */
export interface FlowChangeBus {
  publish(workspaceId: string): Promise<void>;
  /** Calls `onChange` for every change announced by any process (this one too); returns the unsubscribe. */
  subscribe(onChange: (workspaceId: string) => void): Promise<() => Promise<void>>;
}

export function createFlowChangeBus(
  redis: Redis,
  queuePrefix: string,
  publishTimeoutMs = 1000,
): FlowChangeBus {
  const channel = `${queuePrefix}:bot-flows-changed`;
  return {
    async publish(workspaceId) {
      const published = redis.publish(channel, workspaceId).catch(() => undefined);
      await withTimeout(published, publishTimeoutMs, () => undefined);
    },
    async subscribe(onChange) {
      const subscriber = redis.duplicate();
      subscriber.on('message', (from: string, workspaceId: string) => {
        if (from === channel) onChange(workspaceId);
      });
      await subscriber.subscribe(channel);
      return async () => {
        subscriber.disconnect();
      };
    },
  };
}
