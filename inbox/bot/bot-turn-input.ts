import { z } from 'zod';
import type { BotMessage, BotReplyContext, BotSession, BotTurnInput } from '../../bot-flows/engine';
import type { StoredConversation } from '../conversations/conversation-view';
import type { StoredMessage } from '../messages/message-view';

const replyKinds: Record<string, BotReplyContext['kind']> = {
  notification: 'notification',
  mailing: 'mailing',
};

/**
 * A stored customer message as a flow sees it: a pressed button (or a keyboard button's text that
 * carried a payload) is `button`; the notification or mailing it answers is `replyTo`.
 */
export function botMessageOf(message: StoredMessage): BotMessage {
  const payload = message.payload ?? null;
  const replyTo = message.replyTo
    ? {
        kind: replyKinds[message.replyTo.kind] ?? 'message',
        name: message.replyTo.name ?? null,
        text: message.replyTo.text ?? '',
      }
    : null;
  return { kind: payload !== null ? 'button' : 'text', text: message.text ?? '', payload, replyTo };
}

const storedSession = z.object({
  data: z.record(z.string(), z.unknown()),
  misses: z.number().int().min(0),
  options: z.array(z.object({ label: z.string(), payload: z.string() })),
});

/** The session the flow left in this conversation, when the same flow answers again (unreadable: a fresh one). */
export function sessionOf(conversation: StoredConversation, flowName: string): BotSession | null {
  const bot = conversation.bot;
  if (!bot || bot.flow !== flowName || !bot.session) return null;
  try {
    const parsed = storedSession.safeParse(JSON.parse(bot.session));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A session as the conversation stores it. */
export const storedSessionText = (session: BotSession): string => JSON.stringify(session);

/** One turn's input, from the conversation (read under its lock) and the customer's stored message. */
export function turnInputOf(
  conversation: StoredConversation,
  message: StoredMessage,
  flowName: string,
  now: Date,
): BotTurnInput {
  return {
    conversation: {
      id: String(conversation._id),
      channelId: String(conversation.channelId),
      channelType: conversation.channelType,
    },
    contact: { id: String(conversation.contactId), name: conversation.contactName ?? null },
    message: botMessageOf(message),
    session: sessionOf(conversation, flowName),
    now,
  };
}
