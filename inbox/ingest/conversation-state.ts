import type { ConversationState } from '../conversations/conversation-model';

/** What opened a conversation, or brought a closed one back. */
export type ConversationTrigger = 'customer-message' | 'notification';

/**
 * The state a conversation is created in. A customer's message creates it `queued` (its first
 * message then hands it to the bot when a flow serves it, see `stateAfterCustomerMessage`); a
 * conversation that only a notification opened starts `closed`, so it stays out of the queue
 * until the customer answers.
 */
export function initialConversationState(trigger: ConversationTrigger): ConversationState {
  return trigger === 'notification' ? 'closed' : 'queued';
}

/**
 * The state a customer's message moves a conversation to. `botServes`: a bot flow serves this
 * message (its channel, or the notification it answers).
 * - a new conversation or a closed one goes to the bot when a flow serves it, else to the queue;
 * - one the bot owns stays with it, and goes to the queue when no flow serves it any longer;
 * - `queued` and `human` stay: the bot never takes a conversation back from the operators.
 */
export function stateAfterCustomerMessage(
  current: ConversationState,
  isNew: boolean,
  botServes: boolean,
): ConversationState {
  if (isNew || current === 'closed' || current === 'bot') return botServes ? 'bot' : 'queued';
  return current;
}

/** Whether the bot could own the conversation after a customer's message (worth looking up a flow). */
export function botMayAnswer(current: ConversationState, isNew: boolean): boolean {
  return isNew || current === 'closed' || current === 'bot';
}
