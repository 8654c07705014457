import type { StoredConversation } from '../conversations/conversation-view';
import { postThreadMessage } from '../conversations/thread-entry';
import type { InboxCore } from '../inbox-core';

/** Why the bot handed a conversation over, as the operators read it in the thread. */
const reasons: Record<string, string> = {
  keyword: 'the customer asked for an operator',
  button: 'the customer pressed “call an operator”',
  misses: 'the bot did not understand the customer several times in a row',
  'flow-error': 'the bot flow failed (see the service log)',
};

/**
 * An internal event line in the thread (never sent): «Bot shop-faq handed over: the customer
 * asked for an operator». Announced as `message.created` like every thread entry.
 */
export async function recordHandoffLine(
  core: Pick<InboxCore, 'models' | 'events'>,
  conversation: StoredConversation,
  flowName: string,
  reason: string,
): Promise<void> {
  await postThreadMessage(
    core,
    conversation,
    { type: 'bot', operatorId: null, name: flowName },
    {
      direction: 'internal',
      kind: 'event',
      text: `Bot ${flowName} handed over: ${reasons[reason] ?? reason}`,
      status: 'received',
      dedupePrefix: 'evt',
    },
  );
}
