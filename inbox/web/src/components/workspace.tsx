import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { errorText } from '../api/http';
import { type ConversationFilter, inboxApi } from '../api/inbox-api';
import type { ChannelSummary, ConversationView, Me, MessageView } from '../api/types';
import { type ConnectionState, connectInboxSocket, type InboxSocket } from '../realtime/inbox-socket';
import { inboxReducer, initialInboxState, visibleConversations } from '../state/inbox-state';
import { handedOverIds } from './bot-markers';
import { BotPanel } from './bot-panel';
import { CannedManager } from './canned-manager';
import { ConnectionIndicator } from './connection-indicator';
import { ConversationList } from './conversation-list';
import { ModerationQueue } from './moderation-queue';
import { Thread } from './thread';

type Route =
  | { view: 'inbox'; conversationId: string | null }
  | { view: 'moderation' }
  | { view: 'canned' }
  | { view: 'bot' };

function readRoute(): Route {
  const hash = window.location.hash;
  if (hash === '#/moderation') return { view: 'moderation' };
  if (hash === '#/canned') return { view: 'canned' };
  if (hash === '#/bot') return { view: 'bot' };
  const match = /^#\/conversations\/([a-f0-9]{24})$/.exec(hash);
  return { view: 'inbox', conversationId: match?.[1] ?? null };
}

function go(hash: string) {
  if (window.location.hash !== hash) window.location.hash = hash;
}

const TYPING_SHOWN_MS = 6_000;
const defaultFilter: ConversationFilter = { status: 'open', assignee: 'all', channel: '', tag: '', q: '' };

/** The logged-in screen: top bar, conversation list, open thread (or the moderation queue). */
export function Workspace({ me, onLogout }: { me: Me; onLogout(): void }) {
  const [state, dispatch] = useReducer(inboxReducer, initialInboxState);
  const [filter, setFilter] = useState<ConversationFilter>(defaultFilter);
  const [route, setRoute] = useState<Route>(readRoute);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [channels, setChannels] = useState<ChannelSummary[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [liveHandoffs, setLiveHandoffs] = useState<ReadonlySet<string>>(new Set());
  const socket = useRef<InboxSocket | null>(null);
  const moderator = me.role === 'moderator' || me.role === 'admin';
  const botReader = me.scopes.includes('bot-flows:read');

  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const loadOperators = useCallback(() => {
    inboxApi
      .operators()
      .then((operators) => dispatch({ type: 'operators.loaded', operators }))
      .catch(() => {});
  }, []);

  useEffect(() => {
    const client = connectInboxSocket({
      onEvent: (event) => {
        dispatch({ type: 'event', event });
        if (event.type === 'conversation.handoff') setLiveHandoffs((ids) => new Set(ids).add(event.data.id));
      },
      onTyping: (event) => {
        if (event.operatorId === me.operatorId) return;
        dispatch({ type: 'typing', ...event, until: Date.now() + TYPING_SHOWN_MS });
      },
      onState: setConnection,
      onSynced: (first) => {
        if (!first) return;
        // The baseline seq is known now: reload what the screen shows so nothing falls between.
        setReloadKey((key) => key + 1);
        loadOperators();
      },
      onUnauthorized: onLogout,
    });
    socket.current = client;
    return () => {
      client.close();
      socket.current = null;
    };
  }, [me.operatorId, onLogout, loadOperators]);

  useEffect(() => {
    loadOperators();
    inboxApi
      .channels()
      .then(setChannels)
      .catch(() => {});
  }, [loadOperators]);

  useEffect(() => {
    const timer = setInterval(() => dispatch({ type: 'typing.expire', now: Date.now() }), 1_000);
    return () => clearInterval(timer);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey asks for a reload on purpose.
  useEffect(() => {
    const abort = new AbortController();
    dispatch({ type: 'list.loading' });
    setListError(null);
    inboxApi
      .conversations(filter, null, abort.signal)
      .then((page) =>
        dispatch({
          type: 'list.loaded',
          items: page.items,
          nextCursor: page.nextCursor,
          unread: page.unread.total,
          append: false,
        }),
      )
      .catch((failure) => {
        if (abort.signal.aborted) return;
        dispatch({ type: 'list.failed' });
        setListError(errorText(failure));
      });
    return () => abort.abort();
  }, [filter, reloadKey]);

  const loadMore = useCallback(() => {
    if (!state.nextCursor) return;
    dispatch({ type: 'list.loading' });
    inboxApi
      .conversations(filter, state.nextCursor)
      .then((page) =>
        dispatch({
          type: 'list.loaded',
          items: page.items,
          nextCursor: page.nextCursor,
          unread: page.unread.total,
          append: true,
        }),
      )
      .catch((failure) => {
        dispatch({ type: 'list.failed' });
        setListError(errorText(failure));
      });
  }, [filter, state.nextCursor]);

  const selectedId = route.view === 'inbox' ? route.conversationId : null;
  const selected = selectedId ? state.conversations[selectedId] : undefined;
  useEffect(() => {
    if (!selectedId || selected) return;
    inboxApi
      .conversation(selectedId)
      .then((conversation) => dispatch({ type: 'conversation.upsert', conversation }))
      .catch(() => go('#/'));
  }, [selectedId, selected]);

  useEffect(() => {
    if (!selectedId) return;
    socket.current?.join(selectedId);
    return () => socket.current?.leave(selectedId);
  }, [selectedId]);

  useEffect(() => {
    document.title = state.unreadTotal > 0 ? `(${state.unreadTotal}) Vestnik inbox` : 'Vestnik inbox';
  }, [state.unreadTotal]);

  const conversations = useMemo(
    () => visibleConversations(state, filter, me.operatorId),
    [state, filter, me.operatorId],
  );
  const operators = useMemo(() => Object.values(state.operators), [state.operators]);
  const handedOver = useMemo(() => handedOverIds(state.threads, liveHandoffs), [state.threads, liveHandoffs]);
  const onLoaded = useCallback(
    (items: MessageView[], nextCursor: string | null, older: boolean) => {
      if (selectedId)
        dispatch({ type: 'thread.loaded', conversationId: selectedId, items, nextCursor, older });
    },
    [selectedId],
  );
  const onConversation = useCallback(
    (conversation: ConversationView) => dispatch({ type: 'conversation.upsert', conversation }),
    [],
  );

  async function logout() {
    await inboxApi.logout().catch(() => {});
    onLogout();
  }

  const shellClass = `shell${route.view === 'inbox' && selectedId ? ' has-selection' : ''}`;
  return (
    <div className={shellClass}>
      <header className="topbar">
        <a className="brand" href="#/">
          Vestnik
        </a>
        <span className="workspace-name muted">{me.workspace.name}</span>
        <nav className="topnav" aria-label="Sections">
          <a href="#/" aria-current={route.view === 'inbox' ? 'page' : undefined}>
            Inbox
            {state.unreadTotal > 0 && (
              <span className="unread-badge" data-testid="unread-total">
                {state.unreadTotal}
              </span>
            )}
          </a>
          <a
            href="#/canned"
            aria-current={route.view === 'canned' ? 'page' : undefined}
            data-testid="nav-canned"
          >
            Canned
          </a>
          {botReader && (
            <a href="#/bot" aria-current={route.view === 'bot' ? 'page' : undefined} data-testid="nav-bot">
              Bot
            </a>
          )}
          {moderator && (
            <a
              href="#/moderation"
              aria-current={route.view === 'moderation' ? 'page' : undefined}
              data-testid="nav-moderation"
            >
              Moderation
            </a>
          )}
        </nav>
        <ConnectionIndicator state={connection} />
        <button type="button" className="link" onClick={() => void logout()} data-testid="logout">
          Sign out
        </button>
      </header>
      {route.view === 'moderation' ? (
        <ModerationQueue />
      ) : route.view === 'canned' ? (
        <CannedManager />
      ) : route.view === 'bot' ? (
        <BotPanel canWrite={me.scopes.includes('bot-flows:write')} />
      ) : (
        <div className="inbox">
          <div className="list-column">
            {listError && (
              <div className="form-error" role="alert">
                {listError}
              </div>
            )}
            <ConversationList
              filter={filter}
              onFilter={setFilter}
              conversations={conversations}
              loading={state.listLoading}
              hasMore={state.nextCursor !== null}
              onMore={loadMore}
              selectedId={selectedId}
              onSelect={(id) => go(`#/conversations/${id}`)}
              channels={channels}
              operators={operators}
              me={me.operatorId}
              handedOver={handedOver}
            />
          </div>
          {selected ? (
            <Thread
              key={selected.id}
              conversation={selected}
              thread={state.threads[selected.id]}
              typing={state.typing[selected.id]}
              operators={operators}
              me={me.operatorId}
              onBack={() => go('#/')}
              onLoaded={onLoaded}
              onMessage={(message) => dispatch({ type: 'message.upsert', message })}
              onConversation={onConversation}
              onTyping={() => socket.current?.typing(selected.id)}
            />
          ) : (
            <section className="thread thread-empty muted">
              {selectedId ? 'Loading…' : 'Choose a conversation on the left.'}
            </section>
          )}
        </div>
      )}
    </div>
  );
}
