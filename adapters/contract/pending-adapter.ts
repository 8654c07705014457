import { z } from 'zod';
import type { AdapterDefinition } from './adapter';
import type { ChannelKind } from './channel-kind';

/** Scaffolding while an adapter is being written; removed once every adapter exists. */
export function pendingAdapter(kind: ChannelKind): AdapterDefinition {
  return {
    kind,
    title: kind,
    configSchema: z.record(z.string(), z.unknown()),
    secretFields: [],
    connectHint: 'not built yet',
    capabilities: () => {
      throw new Error(`adapter ${kind} is not built yet`);
    },
    create: () => {
      throw new Error(`adapter ${kind} is not built yet`);
    },
  };
}
