import type { BotFlow } from '../../bot-flows/engine';
import type { FlowChannel } from './flow-registry-port';

/** What picks a flow besides the channel: see `FlowRegistry.flowFor`. */
export interface FlowHints {
  current: string | null;
  replyToTemplate: string | null;
}

type Tier = (flow: BotFlow, channel: FlowChannel, hints: FlowHints) => boolean;

const byTemplate: Tier = (flow, _channel, hints) =>
  hints.replyToTemplate !== null && flow.notifications.includes(hints.replyToTemplate);
const byCurrent: Tier = (flow, _channel, hints) => flow.name === hints.current;
const byChannelId: Tier = (flow, channel) => flow.channels?.includes(channel.id) ?? false;
const byChannelType: Tier = (flow, channel) => flow.channels?.includes(channel.type) ?? false;
/**
 * A flow without `channels` serves every channel, unless it answers notifications: a follow-up
 * flow (the bank's "Это вы?") starts only from a reply to its template, never as the default.
 */
const byDefault: Tier = (flow) => flow.channels === null && flow.notifications.length === 0;

/** Highest first: the tiers of `flowFor`. */
const flowForTiers: readonly Tier[] = [byTemplate, byCurrent, byChannelId, byChannelType, byDefault];
/** What makes a flow serve a new conversation on a channel (no hints). */
const channelTiers: readonly Tier[] = [byChannelId, byChannelType, byDefault];

/**
 * The flow serving a turn, by the registry's precedence; within a tier the first of `flows`
 * (callers pass them sorted by name, so the pick is stable).
 */
export function pickFlow<T extends { flow: BotFlow }>(
  flows: readonly T[],
  channel: FlowChannel,
  hints: FlowHints,
): T | null {
  for (const tier of flowForTiers) {
    const found = flows.find((candidate) => tier(candidate.flow, channel, hints));
    if (found) return found;
  }
  return null;
}

/** Whether any of `flows` serves a new conversation on the channel. */
export function servesChannel(flows: readonly { flow: BotFlow }[], channel: FlowChannel): boolean {
  const hints: FlowHints = { current: null, replyToTemplate: null };
  return flows.some((candidate) => channelTiers.some((tier) => tier(candidate.flow, channel, hints)));
}
