import type { BotFlow } from '../../bot-flows/engine';

/** The flow version serving a channel, as the registry hands it to the bot runner. */
export interface ActiveFlow {
  flow: BotFlow;
  /** Uploaded through `/v1/bot-flows` (versioned) or read from the local flows folder. */
  origin: 'api' | 'folder';
  /** The uploaded version (1, 2, …); 0 for folder flows. */
  version: number;
}

/** The channel a customer wrote on. */
export interface FlowChannel {
  id: string;
  type: string;
}

/**
 * Which flows a workspace runs. Deliberately not promised: a flow uploaded in another process is
 * seen within `BOT_FLOWS_REFRESH_MS` (it is cached per process), not at once.
 */
export interface FlowRegistry {
  /**
   * The flow for a customer's turn, by precedence: the flow whose `notifications` include the
   * template the message replies to; the flow named `current` (the one the conversation is
   * already in) while it still exists; a flow listing the channel's id; one listing its type;
   * a flow without `channels`. null: no bot on this channel (conversations go to the queue).
   */
  flowFor(
    workspaceId: string,
    channel: FlowChannel,
    hints: { current: string | null; replyToTemplate: string | null },
  ): Promise<ActiveFlow | null>;
  /** Whether any flow serves the channel (a new conversation starts `bot` or `queued`). */
  hasFlowFor(workspaceId: string, channel: FlowChannel): Promise<boolean>;
  close(): Promise<void>;
}
