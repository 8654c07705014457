import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { ConversationState } from '../../inbox/conversations/conversation-model';
import type { StoredConversation } from '../../inbox/conversations/conversation-view';
import { createSocketGateway, type SocketGateway } from '../../src/realtime/socket-gateway';
import { eventually } from '../contract/helpers/sandbox-control';
import { createTestStack, type TestStack } from './test-stack';

/** A real HTTP server for a test stack's app with the socket.io gateway wired to the inbox. */
export interface InboxSocketServer {
  url: string;
  server: Server;
  gateway: SocketGateway;
  close(): Promise<void>;
}

/** Opens the stack's app on a random port with the gateway, as `vestnik serve` wires it. */
export async function startInboxSocketServer(stack: TestStack): Promise<InboxSocketServer> {
  const server = createServer(stack.app);
  const gateway = createSocketGateway(server, {
    redis: stack.redis,
    auth: stack.auth,
    logger: stack.logger,
    keyPrefix: stack.config.QUEUE_PREFIX,
    trustProxy: 0,
    onConnection: stack.inbox.attachSocket,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    gateway,
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A test file's stack and inbox socket server, with the steps the realtime suites share. */
export interface InboxSocketBed {
  stack: TestStack;
  server: InboxSocketServer;
  /** Logs in over HTTP and connects with the session cookie (to `url`, default this bed's server). */
  connect(credentials: { email: string; password: string }, url?: string): Promise<OperatorSocket>;
  /** Has a socket connected otherwise closed with the others after the file. */
  track(socket: OperatorSocket): OperatorSocket;
  /** Stores a conversation directly (no message, no event); its id. */
  conversation(
    workspaceId: string,
    state?: ConversationState,
    extra?: { queuedAt?: Date; assigneeId?: string },
  ): Promise<string>;
  /** A conversation as stored (fails the test when there is none). */
  read(conversationId: string): Promise<StoredConversation>;
}

/**
 * Starts an {@link InboxSocketBed} in `beforeAll` and closes it (sockets first) in `afterAll`;
 * read its `stack` and `server` inside tests.
 */
export function setUpInboxSocketBed(label: string): InboxSocketBed {
  const sockets: OperatorSocket[] = [];
  const bed: InboxSocketBed = {
    stack: undefined as unknown as TestStack,
    server: undefined as unknown as InboxSocketServer,
    async connect(credentials, url = bed.server.url) {
      const { cookie } = await loginCookie(url, credentials);
      return bed.track(await connectOperator(url, { cookie }));
    },
    track(socket) {
      sockets.push(socket);
      return socket;
    },
    async conversation(workspaceId, state = 'human', extra = {}) {
      const doc = await bed.stack.models.Conversation.create({
        workspaceId,
        contactId: new Types.ObjectId(),
        channelId: new Types.ObjectId(),
        channelType: 'vk',
        externalChatId: randomBytes(6).toString('hex'),
        state,
        lastMessageAt: new Date(),
        queuedAt: extra.queuedAt ?? (state === 'queued' ? new Date() : null),
        assigneeId: extra.assigneeId ? new Types.ObjectId(extra.assigneeId) : null,
      });
      return String(doc._id);
    },
    async read(conversationId) {
      const doc = await bed.stack.models.Conversation.findById(conversationId).lean();
      if (!doc) throw new Error(`no conversation ${conversationId}`);
      return doc as StoredConversation;
    },
  };
  beforeAll(async () => {
    bed.stack = await createTestStack(label);
    bed.server = await startInboxSocketServer(bed.stack);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await bed.server.close();
    await bed.stack.close();
  });
  return bed;
}

/** An inbox event as a socket receives it. */
export interface Envelope {
  seq: number;
  type: string;
  conversationId: string | null;
  operatorId: string | null;
  data: Record<string, unknown>;
  at: string;
}

/** A connected operator socket that records every `inbox` and `typing` event it receives. */
export interface OperatorSocket {
  socket: Socket;
  session: { workspaceId: string; kind: string; operatorId?: string };
  inbox: Envelope[];
  typing: Record<string, unknown>[];
  /** Emits with an ack and resolves with the ack's answer. */
  request<T = Record<string, unknown>>(event: string, ...args: unknown[]): Promise<T>;
  /** Resolves with the first recorded `inbox` event matching, waiting for it if needed. */
  waitForEvent(match: (event: Envelope) => boolean, timeoutMs?: number): Promise<Envelope>;
  close(): void;
}

/** Logs an operator in over HTTP (POST /v1/auth/login) and returns the session cookie it set. */
export async function loginCookie(baseUrl: string, credentials: { email: string; password: string }) {
  const res = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((line) => line.startsWith('vestnik_session='));
  if (!cookie) throw new Error('login set no session cookie');
  const body = (await res.json()) as { token: string; operator: { id: string } };
  return { cookie: cookie.split(';')[0] ?? '', token: body.token, operatorId: body.operator.id };
}

/**
 * Connects a socket with the session cookie (as a browser does), or with `auth.token` (an API key
 * or a session token), and waits for the `session` event.
 */
export async function connectOperator(
  baseUrl: string,
  credential: { cookie: string } | { token: string },
): Promise<OperatorSocket> {
  const socket = connectSocket(baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    ...('cookie' in credential
      ? { extraHeaders: { cookie: credential.cookie } }
      : { auth: { token: credential.token } }),
  });
  const inbox: Envelope[] = [];
  const typing: Record<string, unknown>[] = [];
  socket.on('inbox', (event: Envelope) => inbox.push(event));
  socket.on('typing', (notice: Record<string, unknown>) => typing.push(notice));
  const session = await new Promise<OperatorSocket['session']>((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  });
  return {
    socket,
    session,
    inbox,
    typing,
    request: (event, ...args) => socket.timeout(20_000).emitWithAck(event, ...args) as Promise<never>,
    waitForEvent: (match, timeoutMs = 20_000) => waitFor(() => inbox.find(match), timeoutMs),
    close: () => socket.close(),
  };
}

/** Polls until `probe` returns a value (not undefined/false), or fails after `timeoutMs`. */
export function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const met = async () => {
    const value = await probe();
    return value === false ? undefined : value;
  };
  return eventually(met, `a condition met within ${timeoutMs} ms`, timeoutMs);
}
