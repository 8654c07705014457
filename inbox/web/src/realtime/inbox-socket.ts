import { io, type Socket } from 'socket.io-client';
import type { InboxEnvelope, TypingEvent } from '../api/types';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** The `sync` ack: missed events (oldest first); `seq` is the next `since` (the current seq unless `more`). */
interface SyncAnswer {
  ok: true;
  events: InboxEnvelope[];
  seq: number;
  more: boolean;
}
type SyncAck = SyncAnswer | { ok: false; problem?: { title?: string; detail?: string } };

export interface InboxSocketHandlers {
  /** Every stored event exactly once (live or replayed by `sync`), in the order it is learnt. */
  onEvent(event: InboxEnvelope): void;
  onTyping(event: TypingEvent): void;
  onState(state: ConnectionState): void;
  /** After each successful (re)sync: the view may refetch what it shows (first connect: baseline). */
  onSynced(firstSync: boolean): void;
  /** The handshake was refused for the credential (session ended or revoked). */
  onUnauthorized(): void;
}

export interface InboxSocket {
  join(conversationId: string): void;
  leave(conversationId: string): void;
  typing(conversationId: string): void;
  close(): void;
}

/** How long a hole in the seq stream may stay open before the client asks the server for it. */
const GAP_WAIT_MS = 2_000;
const SYNC_TIMEOUT_MS = 15_000;
const MAX_SYNC_PAGES = 200;

/**
 * The inbox's realtime client. It keeps a watermark: the highest seq up to which every event has
 * been applied. On every (re)connect it asks `sync {since: watermark}` and applies what it missed
 * (page after page while `more`), then applies live `inbox` events, each seq once. A hole in the
 * live stream that does not fill itself within GAP_WAIT_MS is asked for with `sync` too.
 *
 * The very first connect learns the workspace's current seq as the baseline (the screen loads its
 * state over HTTP right after), so a fresh tab does not replay the workspace's whole history.
 */
export function connectInboxSocket(handlers: InboxSocketHandlers): InboxSocket {
  const socket: Socket = io({ path: '/socket.io', withCredentials: true, reconnectionDelayMax: 5_000 });
  let watermark: number | null = null;
  /** Seqs above the watermark already applied (arrived out of order). */
  const ahead = new Set<number>();
  let syncing = false;
  let gapTimer: ReturnType<typeof setTimeout> | undefined;
  const joined = new Set<string>();
  let state: ConnectionState = 'connecting';
  let closed = false;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    handlers.onState(next);
  };

  function apply(event: InboxEnvelope): void {
    if (watermark === null || event.seq <= watermark || ahead.has(event.seq)) return;
    ahead.add(event.seq);
    handlers.onEvent(event);
    while (ahead.has(watermark + 1)) {
      watermark += 1;
      ahead.delete(watermark);
    }
    scheduleGapCheck();
  }

  function scheduleGapCheck(): void {
    clearTimeout(gapTimer);
    if (ahead.size === 0) return;
    gapTimer = setTimeout(() => {
      if (ahead.size > 0 && socket.connected) void sync(false);
    }, GAP_WAIT_MS);
  }

  async function request(input: { since: number } | { latest: true }): Promise<SyncAnswer> {
    const answer = (await socket.timeout(SYNC_TIMEOUT_MS).emitWithAck('sync', input)) as SyncAck;
    if (!answer.ok) throw new Error(answer.problem?.detail ?? answer.problem?.title ?? 'sync refused');
    return answer;
  }

  /** The workspace's current seq, for a fresh tab's baseline (`sync {latest: true}` sends no events). */
  async function currentSeq(): Promise<number> {
    return (await request({ latest: true })).seq;
  }

  async function sync(first: boolean): Promise<void> {
    if (syncing) return;
    syncing = true;
    try {
      if (watermark === null) {
        watermark = await currentSeq();
        ahead.clear();
      } else {
        for (let page = 0; page < MAX_SYNC_PAGES; page += 1) {
          const answer = await request({ since: watermark });
          for (const event of answer.events) apply(event);
          const last = answer.events.at(-1)?.seq ?? answer.seq;
          // Seqs the server no longer has (a publisher crashed between taking and storing one)
          // never arrive: move past them.
          if (last > watermark) {
            watermark = last;
            for (const seq of [...ahead]) if (seq <= last) ahead.delete(seq);
          }
          if (!answer.more) break;
        }
      }
      if (socket.connected) setState('connected');
      handlers.onSynced(first);
    } catch {
      // The sync timed out or the connection dropped mid-way: the next connect tries again.
      if (socket.connected) setTimeout(() => void sync(first), 1_000);
    } finally {
      syncing = false;
    }
  }

  let firstConnect = true;
  socket.on('connect', () => {
    for (const id of joined) socket.emit('conversation.join', { conversationId: id });
    const first = firstConnect;
    firstConnect = false;
    void sync(first);
  });
  socket.on('inbox', (event: InboxEnvelope) => apply(event));
  socket.on('typing', (event: TypingEvent) => handlers.onTyping(event));
  socket.on('disconnect', (reason) => {
    if (closed) return;
    setState(navigator.onLine ? 'reconnecting' : 'offline');
    // The server closed us (session ended or revoked): socket.io does not retry on its own.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    const code = error.data?.code ?? error.message;
    if (typeof code === 'string' && code.startsWith('auth.')) {
      handlers.onUnauthorized();
      return;
    }
    setState(navigator.onLine ? 'reconnecting' : 'offline');
  });
  socket.io.on('reconnect_attempt', () => {
    if (!socket.connected) setState(navigator.onLine ? 'reconnecting' : 'offline');
  });
  const offline = () => setState('offline');
  const online = () => {
    if (!socket.connected) {
      setState('reconnecting');
      socket.connect();
    }
  };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);

  return {
    join(conversationId) {
      joined.add(conversationId);
      if (socket.connected) socket.emit('conversation.join', { conversationId });
    },
    leave(conversationId) {
      joined.delete(conversationId);
      if (socket.connected) socket.emit('conversation.leave', { conversationId });
    },
    typing(conversationId) {
      if (socket.connected) socket.emit('typing', { conversationId });
    },
    close() {
      closed = true;
      clearTimeout(gapTimer);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      socket.close();
    },
  };
}
