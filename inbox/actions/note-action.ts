import { z } from 'zod';
import { actorOf } from '../conversations/actor';
import { findConversation } from '../conversations/conversation-access';
import { addThreadEntry } from '../conversations/thread-entry';
import type { InboxCore } from '../inbox-core';
import type { MessageView } from '../messages/message-view';
import { conversationIdSchema, operatorTextSchema } from './action-schemas';
import { defineAction } from './inbox-action';

/** `note.add`: an internal note in the thread, seen by operators only and never sent. */
export function noteAction(core: InboxCore) {
  return defineAction({
    name: 'note.add',
    scopes: ['inbox:write'],
    input: z.strictObject({ conversationId: conversationIdSchema, text: operatorTextSchema }),
    async run(principal, input): Promise<MessageView> {
      const conversation = await findConversation(core, principal.workspaceId, input.conversationId);
      const actor = await actorOf(core, principal);
      return addThreadEntry(core, conversation, { kind: 'note', actor, text: input.text });
    },
  });
}
