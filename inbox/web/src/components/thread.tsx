import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorText } from '../api/http';
import { inboxApi } from '../api/inbox-api';
import type { ConversationView, InboxOperator, MessageView } from '../api/types';
import type { ThreadState } from '../state/inbox-state';
import { Composer } from './composer';
import { MessageItem } from './message-item';
import { ThreadHeader } from './thread-header';

interface ThreadProps {
  conversation: ConversationView;
  thread: ThreadState | undefined;
  typing: { name: string } | undefined;
  operators: InboxOperator[];
  me: string;
  onBack(): void;
  onLoaded(items: MessageView[], nextCursor: string | null, older: boolean): void;
  onMessage(message: MessageView): void;
  onConversation(conversation: ConversationView): void;
  onTyping(): void;
}

/** The open conversation: header, messages (older pages on demand), typing line and composer. */
export function Thread(props: ThreadProps) {
  const { conversation, thread, onLoaded, onConversation } = props;
  const [error, setError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const { id } = conversation;

  useEffect(() => {
    let live = true;
    setError(null);
    stickToBottom.current = true;
    inboxApi
      .messages(id)
      .then((page) => live && onLoaded(page.items, page.nextCursor, false))
      .catch((failure) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [id, onLoaded]);

  // Opening the conversation, and new customer messages while it is open and visible, mark it read.
  const unread = conversation.unreadCount;
  useEffect(() => {
    if (unread === 0 || document.visibilityState !== 'visible') return;
    inboxApi
      .markRead(id)
      .then(onConversation)
      .catch(() => {});
  }, [id, unread, onConversation]);

  const count = thread?.messages.length ?? 0;
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stickToBottom.current && count > 0) element.scrollTop = element.scrollHeight;
  }, [count]);

  async function loadOlder() {
    if (!thread?.olderCursor) return;
    setLoadingOlder(true);
    const element = scroller.current;
    const fromBottom = element ? element.scrollHeight - element.scrollTop : 0;
    try {
      const page = await inboxApi.messages(id, thread.olderCursor);
      stickToBottom.current = false;
      onLoaded(page.items, page.nextCursor, true);
      requestAnimationFrame(() => {
        if (element) element.scrollTop = element.scrollHeight - fromBottom;
      });
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoadingOlder(false);
    }
  }

  return (
    <section className="thread" aria-label="Conversation" data-testid="thread" data-conversation-id={id}>
      <ThreadHeader
        conversation={conversation}
        operators={props.operators}
        me={props.me}
        onBack={props.onBack}
        onChanged={onConversation}
      />
      <div
        className="messages"
        ref={scroller}
        onScroll={(event) => {
          const element = event.currentTarget;
          stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        }}
      >
        {thread?.olderCursor && (
          <button
            type="button"
            className="load-older"
            onClick={() => void loadOlder()}
            disabled={loadingOlder}
          >
            {loadingOlder ? 'Loading…' : 'Load earlier messages'}
          </button>
        )}
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
        {!thread?.loaded && !error && <div className="muted center">Loading messages…</div>}
        <ol className="message-list" aria-live="polite" data-testid="message-list">
          {thread?.messages.map((message) => (
            <MessageItem key={message.id} message={message} />
          ))}
        </ol>
      </div>
      <div className="typing-line" data-testid="typing" aria-live="polite">
        {props.typing ? `${props.typing.name} is typing…` : ''}
      </div>
      <Composer
        conversation={conversation}
        onSent={(message) => {
          stickToBottom.current = true;
          props.onMessage(message);
        }}
        onTyping={props.onTyping}
      />
    </section>
  );
}
