import type { ConversationView, MessageButtonView, MessageView } from '../api/types';

/** Whether a thread entry is the line a bot leaves when it hands the conversation over. */
export function isHandoffLine(message: MessageView): boolean {
  return message.kind === 'event' && message.author.type === 'bot';
}

/** Conversations a bot handed over: those announced live, and those whose loaded thread has the line. */
export function handedOverIds(
  threads: Record<string, { messages: MessageView[] }>,
  live: ReadonlySet<string>,
): ReadonlySet<string> {
  const ids = new Set(live);
  for (const [id, thread] of Object.entries(threads)) if (thread.messages.some(isHandoffLine)) ids.add(id);
  return ids;
}

/** Whether a message is one the bot sent to the customer (not its hand-off line). */
export function isBotReply(message: MessageView): boolean {
  return message.author.type === 'bot' && message.kind !== 'event';
}

/** "Bot": the conversation is with a bot flow (state `bot`); nothing otherwise. */
export function BotBadge({ conversation }: { conversation: ConversationView }) {
  if (conversation.state !== 'bot') return null;
  return (
    <span className="bot-badge" data-testid="bot-badge" title="A bot flow answers this conversation">
      Bot
    </span>
  );
}

/** "Handed over": a bot passed the conversation to the operators. */
export function HandedOverBadge({ shown }: { shown: boolean }) {
  if (!shown) return null;
  return (
    <span className="handed-over-badge" data-testid="handed-over-badge" title="The bot handed this over">
      Handed over
    </span>
  );
}

/** "Bot · shop-faq": who wrote a bot message. */
export function BotAuthorChip({ flow }: { flow: string | null }) {
  return (
    <span className="bot-author" data-testid="bot-author">
      <span className="bot-author-kind">Bot</span>
      {flow && <span className="bot-author-flow">{flow}</span>}
    </span>
  );
}

const buttonKindTitles: Record<MessageButtonView['kind'], string> = {
  reply: 'Reply button: pressing it sends its text',
  callback: 'Inline button',
  link: 'Link button',
};

/** The buttons the customer was offered, as chips (the operator cannot press them). */
export function BotButtonChips({ buttons }: { buttons: MessageButtonView[] }) {
  if (buttons.length === 0) return null;
  return (
    <ul className="bot-buttons" aria-label="Buttons the customer was offered" data-testid="bot-buttons">
      {buttons.map((button, index) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: a sent message's buttons never change order.
          key={index}
          className={`bot-button bot-button-${button.kind}`}
          data-testid="bot-button"
          title={button.url ? `${buttonKindTitles.link}: ${button.url}` : buttonKindTitles[button.kind]}
        >
          {button.label}
        </li>
      ))}
    </ul>
  );
}
