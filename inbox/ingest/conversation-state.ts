import type { ConversationState } from '../conversations/conversation-model';

/** What opened a conversation, or brought a closed one back. */
export type ConversationTrigger = 'customer-message' | 'notification';

/**
 * The state a new conversation starts in. A customer's message puts it in the operators' queue
 * (bot flows, issue 6, return `bot` here); a conversation that only a notification opened starts
 * `closed`, so it stays out of the queue until the customer answers.
 */
export function initialConversationState(trigger: ConversationTrigger): ConversationState {
  return trigger === 'notification' ? 'closed' : 'queued';
}

/**
 * The state a customer's message moves a conversation to: a closed one reopens as a new one would
 * start; `bot`, `queued` and `human` stay (a human owner keeps the conversation).
 */
export function stateAfterCustomerMessage(current: ConversationState): ConversationState {
  return current === 'closed' ? initialConversationState('customer-message') : current;
}
