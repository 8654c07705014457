import type { ChannelEventListener } from '../../src/channels/channel-event-worker';
import type { InboxCore } from '../inbox-core';

export interface InboxIngest {
  listener: ChannelEventListener;
}

export function createInboxIngest(_core: InboxCore): InboxIngest {
  return { listener: async () => 'done' };
}
