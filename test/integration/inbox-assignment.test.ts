import { randomBytes } from 'node:crypto';
import { Types, trusted } from 'mongoose';
import request from 'supertest';
import { createAutoAssigner } from '../../inbox/assignment/auto-assigner';
import { handOff } from '../../inbox/assignment/hand-off';
import { createConversationLock } from '../../inbox/conversations/conversation-lock';
import { viewConversation } from '../../inbox/conversations/conversation-view';
import type { InboxCore } from '../../inbox/inbox-core';
import { createInboxEvents } from '../../inbox/realtime/inbox-events';
import { createInboxRealtime, type InboxRealtime } from '../../inbox/realtime/inbox-realtime';
import { createOperatorPresence } from '../../inbox/realtime/operator-presence';
import { createPresenceTracker } from '../../inbox/realtime/presence-tracker';
import { createApiKey } from '../../src/auth/api-keys';
import { addOperator } from '../../src/auth/operators';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { setUpInboxSocketBed, waitFor } from '../helpers/inbox-socket';
import { deleteKeys } from '../helpers/test-stack';

jest.setTimeout(120_000);

const bed = setUpInboxSocketBed('inbox-assignment');
const { conversation, read } = bed;

/** The inbox core as the layer builds it, for a second, independent realtime instance (another process). */
function coreOf(): InboxCore {
  const prefix = bed.stack.config.QUEUE_PREFIX;
  return {
    models: bed.stack.models,
    redis: bed.stack.redis,
    queues: bed.stack.queues,
    channels: bed.stack.channels,
    config: bed.stack.config,
    lock: createConversationLock(bed.stack.redis, prefix),
    logger: bed.stack.logger,
    events: createInboxEvents({ models: bed.stack.models, redis: bed.stack.redis, prefix }),
  };
}

interface Agent {
  id: string;
  email: string;
  password: string;
}

async function workspace(name: string) {
  const ws = await createWorkspace(bed.stack.models, { name: `${name} ${randomBytes(3).toString('hex')}` });
  return trustedWorkspaceId(ws.workspaceId);
}

async function agent(workspaceId: WorkspaceId, name: string, maxConversations = 5): Promise<Agent> {
  const credentials = {
    email: `${name}-${randomBytes(3).toString('hex')}@shop.local`,
    password: 'a-long-password-1',
  };
  const added = await addOperator(bed.stack.models, workspaceId, {
    ...credentials,
    role: 'operator',
    name,
    maxConversations,
  });
  return { id: added.id, ...credentials };
}

const online = (who: Agent) => bed.connect(who);

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** What ingest or an operator action does: publish the conversation as it now is. */
async function announceConversation(workspaceId: WorkspaceId, conversationId: string) {
  const view = viewConversation(await read(conversationId));
  return bed.stack.inbox.events.publish(workspaceId, {
    type: 'conversation.updated',
    conversationId,
    data: view,
  });
}

async function presenceOnline(workspaceId: WorkspaceId, operatorId: string) {
  await waitFor(async () => {
    const list = await request(bed.stack.app)
      .get('/v1/inbox/operators')
      .set('Authorization', await bearerOf(workspaceId));
    return list.body.find((o: { id: string; online: boolean }) => o.id === operatorId)?.online === true;
  });
}

const bearers = new Map<string, string>();
async function bearerOf(workspaceId: WorkspaceId): Promise<string> {
  const known = bearers.get(workspaceId);
  if (known) return known;
  const key = await createApiKey(bed.stack.models, workspaceId, { name: 'test', scopes: ['inbox:read'] });
  bearers.set(workspaceId, `Bearer ${key.key}`);
  return `Bearer ${key.key}`;
}

async function presenceEvents(workspaceId: WorkspaceId, operatorId: string) {
  const events = await bed.stack.models.InboxEvent.find({ workspaceId, type: 'operator.presence' })
    .sort({ seq: 1 })
    .lean();
  return events
    .map((event) => event.data as { operatorId: string; online: boolean; load: number })
    .filter((data) => data.operatorId === operatorId);
}

describe('auto-assignment', () => {
  it('assigns oldest first to the least loaded online operators within capacity, skipping offline ones', async () => {
    const ws = await workspace('Oldest first');
    const busy = await agent(ws, 'busy', 2);
    const idle = await agent(ws, 'idle', 1);
    const away = await agent(ws, 'away', 5);
    await conversation(ws, 'human', { assigneeId: busy.id });
    const busySocket = await online(busy);
    const idleSocket = await online(idle);
    await presenceOnline(ws, busy.id);
    await presenceOnline(ws, idle.id);

    // Created in another order than they queued, still with the bot; then queued oldest first, so a
    // pass started by the operators' connections sees at most a prefix of the queue.
    const c2 = await conversation(ws, 'bot', { queuedAt: minutesAgo(20) });
    const c4 = await conversation(ws, 'bot', { queuedAt: minutesAgo(5) });
    const c1 = await conversation(ws, 'bot', { queuedAt: minutesAgo(30) });
    const c3 = await conversation(ws, 'bot', { queuedAt: minutesAgo(10) });
    for (const id of [c1, c2, c3, c4])
      await bed.stack.models.Conversation.updateOne({ _id: id }, { $set: { state: 'queued' } });
    await announceConversation(ws, c4); // a queued conversation's event asks for a pass

    await waitFor(async () => (await read(c2)).state === 'human');
    expect(await read(c1)).toMatchObject({ state: 'human', assigneeId: new Types.ObjectId(idle.id) });
    expect(await read(c2)).toMatchObject({ state: 'human', assigneeId: new Types.ObjectId(busy.id) });
    // Both are full now: another pass assigns nothing, and the offline operator got nothing.
    const again = createInboxRealtime(coreOf());
    expect(await again.assigner.runPass(ws)).toEqual([]);
    expect(await read(c3)).toMatchObject({ state: 'queued', assigneeId: null });
    expect(await read(c4)).toMatchObject({ state: 'queued', assigneeId: null });
    expect(await bed.stack.models.Conversation.countDocuments({ workspaceId: ws, assigneeId: away.id })).toBe(
      0,
    );

    // Each operator is told, on their own room, and everyone sees the conversation change.
    const notice = await idleSocket.waitForEvent((e) => e.type === 'conversation.assigned');
    expect(notice).toMatchObject({
      conversationId: c1,
      operatorId: idle.id,
      data: { state: 'human', assigneeId: idle.id },
    });
    await busySocket.waitForEvent((e) => e.type === 'conversation.assigned' && e.conversationId === c2);
    expect(busySocket.inbox.some((e) => e.type === 'conversation.assigned' && e.conversationId === c1)).toBe(
      false,
    );
    await busySocket.waitForEvent((e) => e.type === 'conversation.updated' && e.conversationId === c1);
    await waitFor(async () => (await presenceEvents(ws, idle.id)).some((p) => p.load === 1));

    // Resolving one of busy's conversations frees a place: the next oldest (c3) goes to busy.
    await bed.stack.models.Conversation.updateOne(
      { _id: c2 },
      { $set: { state: 'closed', resolvedAt: new Date() } },
    );
    await announceConversation(ws, c2);
    await waitFor(async () => (await read(c3)).state === 'human');
    expect(await read(c3)).toMatchObject({ assigneeId: new Types.ObjectId(busy.id) });
    expect(await read(c4)).toMatchObject({ state: 'queued' });
  });

  it('gives queued conversations to an operator who comes online, and never takes a conversation from its owner', async () => {
    const ws = await workspace('Comes online');
    const owner = await agent(ws, 'owner', 5);
    const late = await agent(ws, 'late', 5);
    const owned = await conversation(ws, 'human', { assigneeId: owner.id });
    const waiting = await conversation(ws, 'queued', { queuedAt: minutesAgo(3) });
    await online(late);
    await waitFor(async () => (await read(waiting)).state === 'human');
    expect(await read(waiting)).toMatchObject({ assigneeId: new Types.ObjectId(late.id) });
    // The owner is offline: their conversation stays theirs, whatever passes run.
    await createInboxRealtime(coreOf()).assigner.runPass(ws);
    expect(await read(owned)).toMatchObject({ state: 'human', assigneeId: new Types.ObjectId(owner.id) });
  });

  it('never assigns one conversation twice, nor past capacity, when passes run at once in several processes', async () => {
    const ws = await workspace('Concurrent');
    const team = await Promise.all(['a', 'b', 'c'].map((name) => agent(ws, name, 3)));
    await joinElsewhere(ws, team);
    const queued = await queuedConversations(ws, 12);
    const processA = createInboxRealtime(coreOf());
    const processB = createInboxRealtime(coreOf());
    const results = await Promise.all([
      processA.assigner.runPass(ws),
      processB.assigner.runPass(ws),
      processA.assigner.runPass(ws),
    ]);
    const assigned = results.flat().map((a) => a.conversationId);
    expect(new Set(assigned).size).toBe(assigned.length);
    expect(assigned.sort()).toEqual(queued.slice(0, 9).sort());
    const loads = await loadsOf(ws);
    for (const member of team) expect(loads.get(member.id)).toBe(3);
    await expectOneNoticePerConversation(ws, 9);
    for (const id of queued.slice(9))
      expect(await read(id)).toMatchObject({ state: 'queued', assigneeId: null });
  });

  it('re-checks each conversation under its lock, so even passes without the workspace lock never double-assign', async () => {
    const ws = await workspace('Unlocked');
    const team = await Promise.all(['d', 'e'].map((name) => agent(ws, name, 10)));
    const presence = await joinElsewhere(ws, team);
    const queued = await queuedConversations(ws, 8);
    const unlocked = () =>
      createAutoAssigner({
        core: coreOf(),
        presence,
        announce: async () => {},
        passLock: (_id, work) => work(),
      });
    const results = await Promise.all([
      unlocked().runPass(ws),
      unlocked().runPass(ws),
      unlocked().runPass(ws),
    ]);
    const assigned = results.flat().map((a) => a.conversationId);
    expect(new Set(assigned).size).toBe(assigned.length);
    expect(assigned.sort()).toEqual([...queued].sort());
    await expectOneNoticePerConversation(ws, 8);
  });
});

/** Marks operators online through presence directly, as sockets on another serve node would (no pass triggered). */
async function joinElsewhere(ws: WorkspaceId, team: Agent[]) {
  const presence = createOperatorPresence(bed.stack.redis, bed.stack.config.QUEUE_PREFIX);
  for (const member of team) {
    await presence.join({ workspaceId: ws, operatorId: member.id, socketId: `node-x-${member.id}` });
  }
  return presence;
}

async function queuedConversations(ws: WorkspaceId, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1)
    ids.push(await conversation(ws, 'queued', { queuedAt: minutesAgo(60 - i) }));
  return ids;
}

async function loadsOf(ws: WorkspaceId): Promise<Map<string, number>> {
  const docs = await bed.stack.models.Conversation.find({ workspaceId: ws, state: 'human' }).lean();
  const loads = new Map<string, number>();
  for (const doc of docs) loads.set(String(doc.assigneeId), (loads.get(String(doc.assigneeId)) ?? 0) + 1);
  return loads;
}

async function expectOneNoticePerConversation(ws: WorkspaceId, count: number) {
  const notices = await bed.stack.models.InboxEvent.find({
    workspaceId: ws,
    type: 'conversation.assigned',
  }).lean();
  expect(notices).toHaveLength(count);
  expect(new Set(notices.map((n) => String(n.conversationId))).size).toBe(count);
}

describe('hand-off', () => {
  it('moves a bot conversation to the queue, notifies operators and gets it assigned', async () => {
    const ws = await workspace('Hand-off');
    const human = await agent(ws, 'human', 5);
    const socket = await online(human);
    await presenceOnline(ws, human.id);
    const botConversation = await conversation(ws, 'bot');
    const core = { ...coreOf(), events: bed.stack.inbox.events };
    const result = await handOff(core, ws, botConversation, 'customer asked for a human');
    expect(result).toMatchObject({ handedOff: true, conversation: { state: 'queued', assigneeId: null } });
    const notice = await socket.waitForEvent((e) => e.type === 'conversation.handoff');
    expect(notice).toMatchObject({
      conversationId: botConversation,
      data: { reason: 'customer asked for a human' },
    });
    await waitFor(async () => (await read(botConversation)).state === 'human');
    expect(await read(botConversation)).toMatchObject({ assigneeId: new Types.ObjectId(human.id) });

    // Owned by a human now: a second hand-off changes nothing.
    const second = await handOff(core, ws, botConversation, 'again');
    expect(second).toMatchObject({
      handedOff: false,
      conversation: { state: 'human', assigneeId: human.id },
    });
    // Another workspace's conversation is not found.
    const other = await workspace('Other');
    await expect(handOff(core, other, botConversation, 'x')).rejects.toMatchObject({
      code: 'resource.not_found',
    });
    await expect(handOff(core, ws, 'not-an-id', 'x')).rejects.toMatchObject({ code: 'resource.not_found' });
  });
});

describe('presence', () => {
  it('keeps an operator online while any of their sockets is connected', async () => {
    const ws = await workspace('Two tabs');
    const person = await agent(ws, 'tabs', 5);
    const tab1 = await online(person);
    await waitFor(async () => (await presenceEvents(ws, person.id)).length === 1);
    const tab2 = await online(person);
    const presence = createOperatorPresence(bed.stack.redis, bed.stack.config.QUEUE_PREFIX);
    await waitFor(async () => (await presence.socketCount(person.id)) === 2);
    tab1.close();
    await waitFor(async () => (await presence.socketCount(person.id)) === 1);
    await presenceOnline(ws, person.id);
    expect(await presenceEvents(ws, person.id)).toEqual([
      { operatorId: person.id, online: true, load: 0, maxConversations: 5 },
    ]);
    tab2.close();
    await waitFor(async () => (await presenceEvents(ws, person.id)).length === 2);
    expect((await presenceEvents(ws, person.id))[1]).toEqual({
      operatorId: person.id,
      online: false,
      load: 0,
      maxConversations: 5,
    });
    expect(await presence.online(ws)).not.toContain(person.id);
  });

  it('re-announces the connected operators on the next heartbeat after Redis lost presence', async () => {
    const ws = await workspace('Flushed presence');
    const person = await agent(ws, 'steady', 5);
    const presence = createOperatorPresence(bed.stack.redis, bed.stack.config.QUEUE_PREFIX);
    const changes: string[] = [];
    const tracker = createPresenceTracker({
      presence,
      logger: bed.stack.logger,
      heartbeatMs: 3_600_000,
      onOnline: async (_ws, ids) => void changes.push(...ids.map((id) => `online ${id}`)),
      onOffline: async (_ws, ids) => void changes.push(...ids.map((id) => `offline ${id}`)),
    });
    const socket = { workspaceId: ws, operatorId: person.id, socketId: `tracked-${person.id}` };
    await tracker.connected(socket);
    await tracker.beat();
    expect(changes).toEqual([`online ${person.id}`]);
    await deleteKeys(bed.stack.redis, `${bed.stack.config.QUEUE_PREFIX}:inbox:presence:*`);
    expect(await presence.online(ws)).toEqual([]);
    await tracker.beat();
    expect(changes).toEqual([`online ${person.id}`, `online ${person.id}`]);
    expect(await presence.online(ws)).toEqual([person.id]);
    await tracker.disconnected(socket);
    expect(changes.at(-1)).toBe(`offline ${person.id}`);
    expect(await presence.online(ws)).toEqual([]);
  });

  it('lets the sockets of a crashed node expire, and the periodic sweep announces them offline', async () => {
    const ws = await workspace('Crashed node');
    const ghost = await agent(ws, 'ghost', 5);
    const shortLived = createOperatorPresence(bed.stack.redis, bed.stack.config.QUEUE_PREFIX, { ttlMs: 400 });
    // A node registered this socket, then died: nobody refreshes or removes it.
    expect(
      await shortLived.join({ workspaceId: ws, operatorId: ghost.id, socketId: 'dead-node-socket' }),
    ).toBe(true);
    expect(await shortLived.online(ws)).toEqual([ghost.id]);
    const realtime: InboxRealtime = createInboxRealtime(coreOf(), { sweepEveryMs: 300 });
    await realtime.startWorker();
    await waitFor(async () => (await presenceEvents(ws, ghost.id)).some((p) => !p.online), 30_000);
    expect(await shortLived.online(ws)).toEqual([]);
    expect(await shortLived.socketCount(ghost.id)).toBe(0);
    expect(
      await bed.stack.models.InboxEvent.countDocuments({
        workspaceId: ws,
        type: 'operator.presence',
        seq: trusted({ $gt: 0 }),
      }),
    ).toBe(1);
  });
});
