import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import request from 'supertest';
import { purgeOldInboxEvents } from '../../inbox/realtime/inbox-event-purge';
import { createApiKey } from '../../src/auth/api-keys';
import { addOperator } from '../../src/auth/operators';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { type CreatedWorkspace, createWorkspace } from '../../src/workspaces/create-workspace';
import { connectOperator, type Envelope, setUpInboxSocketBed, waitFor } from '../helpers/inbox-socket';
import { deleteKeys } from '../helpers/test-stack';
import { spawnVestnik, type VestnikProcess } from '../helpers/vestnik-process';

jest.setTimeout(120_000);

const bed = setUpInboxSocketBed('inbox-realtime');
const { connect, conversation, read } = bed;

interface Shop extends CreatedWorkspace {
  id: WorkspaceId;
  /** A second operator (role operator) of the workspace. */
  agent: { email: string; password: string };
}

async function shop(name: string): Promise<Shop> {
  const ws = await createWorkspace(bed.stack.models, { name: `${name} ${randomBytes(3).toString('hex')}` });
  const id = trustedWorkspaceId(ws.workspaceId);
  const agent = {
    email: `agent-${randomBytes(3).toString('hex')}@shop.local`,
    password: 'a-long-password-1',
  };
  await addOperator(bed.stack.models, id, { ...agent, role: 'operator', name: 'Agent Smith' });
  return { ...ws, id, agent };
}

const note = (workspaceId: WorkspaceId, conversationId: string, text: string) =>
  bed.stack.inbox.events.publish(workspaceId, {
    type: 'message.created',
    conversationId,
    data: { text },
  });

interface SyncAnswer {
  ok: true;
  events: Envelope[];
  seq: number;
  more: boolean;
}

describe('inbox events over socket.io', () => {
  it('delivers a live event with its per-workspace seq', async () => {
    const a = await shop('Live');
    const operator = await connect(a.admin);
    const conv = await conversation(a.workspaceId);
    const first = await note(a.id, conv, 'one');
    const second = await note(a.id, conv, 'two');
    expect(second.seq).toBeGreaterThan(first.seq);
    const received = await operator.waitForEvent((e) => e.seq === second.seq);
    expect(received).toEqual({ ...second, data: { text: 'two' } });
    expect(operator.inbox.find((e) => e.seq === first.seq)?.data).toEqual({ text: 'one' });
  });

  it('replays exactly the events missed while disconnected, in order, on sync', async () => {
    const a = await shop('Replay');
    const conv = await conversation(a.workspaceId);
    const before = await connect(a.admin);
    const seen = await note(a.id, conv, 'seen');
    await before.waitForEvent((e) => e.seq === seen.seq);
    before.close();
    const missed = [];
    for (const text of ['m1', 'm2', 'm3']) missed.push(await note(a.id, conv, text));

    const after = await connect(a.admin);
    const answer = await after.request<SyncAnswer>('sync', { since: seen.seq });
    expect(answer.ok).toBe(true);
    expect(answer.more).toBe(false);
    const seqs = answer.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs.every((seq) => seq > seen.seq)).toBe(true);
    expect(answer.events.filter((e) => e.type === 'message.created')).toEqual(missed);
    // Everything else in between is presence (the operator going offline and back).
    expect(answer.events.every((e) => e.type === 'message.created' || e.type === 'operator.presence')).toBe(
      true,
    );
    expect(answer.seq).toBeGreaterThanOrEqual(missed[2]?.seq ?? Number.NaN);
    // The current seq at the time of the answer (the operator's "online" may have come since).
    expect(answer.seq).toBeLessThanOrEqual(await bed.stack.inbox.events.currentSeq(a.id));
  });

  it('pages a long replay by 500 with `more`, and continues from the answered seq', async () => {
    const a = await shop('Paging');
    const docs = Array.from({ length: 520 }, (_, index) => ({
      workspaceId: a.workspaceId,
      seq: index + 1,
      type: 'message.created',
      conversationId: null,
      operatorId: null,
      data: { n: index + 1 },
    }));
    await bed.stack.models.InboxEvent.insertMany(docs);
    const api = bed.track(await connectOperator(bed.server.url, { token: a.apiKey }));
    const page1 = await api.request<SyncAnswer>('sync', { since: 0 });
    expect(page1.events).toHaveLength(500);
    expect(page1.more).toBe(true);
    expect(page1.seq).toBe(500);
    const page2 = await api.request<SyncAnswer>('sync', { since: page1.seq });
    expect(page2.events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 501 + i));
    expect(page2.more).toBe(false);
    expect(page2.seq).toBe(520);
    // A fresh client's baseline: the current seq without replaying any history.
    const latest = await api.request<SyncAnswer>('sync', { latest: true });
    expect(latest).toMatchObject({ events: [], seq: 520, more: false });
  });

  it('continues the sequence above the highest stored one after Redis loses it', async () => {
    const a = await shop('Flush');
    const conv = await conversation(a.workspaceId);
    const operator = await connect(a.admin);
    const before = await note(a.id, conv, 'before the flush');
    // What a FLUSHALL does to this deployment (other suites share the Redis server).
    await deleteKeys(bed.stack.redis, `${bed.stack.config.QUEUE_PREFIX}:inbox:seq:*`);
    const after = await note(a.id, conv, 'after the flush');
    expect(after.seq).toBeGreaterThan(before.seq);
    const answer = await operator.request<SyncAnswer>('sync', { since: before.seq });
    expect(answer.events.filter((e) => e.type === 'message.created')).toEqual([after]);
    await operator.waitForEvent((e) => e.seq === after.seq);
  });

  it('keeps workspaces apart: no live events, no rooms, no replay of another workspace', async () => {
    const a = await shop('Victim');
    const b = await shop('Intruder');
    const intruder = await connect(b.admin);
    const victim = await connect(a.admin);
    const convA = await conversation(a.workspaceId);
    const secret = await note(a.id, convA, 'secret of A');
    const ownB = await note(b.id, await conversation(b.workspaceId), 'own of B');
    await victim.waitForEvent((e) => e.seq === secret.seq && e.type === 'message.created');
    await intruder.waitForEvent((e) => e.type === 'message.created' && e.data.text === 'own of B');

    expect(intruder.inbox.some((e) => e.conversationId === convA)).toBe(false);
    expect(JSON.stringify(intruder.inbox)).not.toContain('secret of A');
    const join = await intruder.request<Record<string, unknown>>('conversation.join', {
      conversationId: convA,
    });
    expect(join).toMatchObject({ ok: false, problem: { status: 404, code: 'resource.not_found' } });
    const sync = await intruder.request<SyncAnswer>('sync', { since: 0 });
    expect(sync.events.map((e) => e.seq)).toContain(ownB.seq);
    expect(JSON.stringify(sync.events)).not.toContain('secret of A');
    expect(sync.events.some((e) => e.conversationId === convA)).toBe(false);
    // A typing notice in A's room does not reach B either.
    expect((await victim.request('conversation.join', { conversationId: convA })).ok).toBe(true);
    const typing = await intruder.request<Record<string, unknown>>('typing', { conversationId: convA });
    expect(typing).toMatchObject({ ok: false, problem: { code: 'resource.not_found' } });
  });

  it('sends inbox events only to credentials with inbox:read', async () => {
    const a = await shop('Scoped');
    const limited = await createApiKey(bed.stack.models, a.id, {
      name: 'sender',
      scopes: ['notifications:send'],
    });
    const sender = bed.track(await connectOperator(bed.server.url, { token: limited.key }));
    const reader = bed.track(await connectOperator(bed.server.url, { token: a.apiKey }));
    const event = await note(a.id, await conversation(a.workspaceId), 'for inbox readers');
    await reader.waitForEvent((e) => e.seq === event.seq);
    expect(sender.inbox).toEqual([]);
    expect(await sender.request('sync', { since: 0 })).toMatchObject({
      ok: false,
      problem: { status: 403, code: 'auth.scope_missing' },
    });
  });

  it('replays operator-addressed events only to their operator', async () => {
    const a = await shop('Addressed');
    const admin = await connect(a.admin);
    const agent = await connect(a.agent);
    const adminId = admin.session.operatorId ?? '';
    const conv = await conversation(a.workspaceId);
    const personal = await bed.stack.inbox.events.publish(a.id, {
      type: 'conversation.assigned',
      conversationId: conv,
      operatorId: adminId,
      data: { for: 'admin only' },
    });
    await admin.waitForEvent((e) => e.seq === personal.seq);
    const mine = await admin.request<SyncAnswer>('sync', { since: personal.seq - 1 });
    expect(mine.events.map((e) => e.seq)).toContain(personal.seq);
    const theirs = await agent.request<SyncAnswer>('sync', { since: 0 });
    expect(theirs.events.some((e) => e.seq === personal.seq)).toBe(false);
    expect(agent.inbox.some((e) => e.seq === personal.seq)).toBe(false);
  });

  it('answers bad payloads with problem acks and keeps serving', async () => {
    const a = await shop('Bad input');
    const operator = await connect(a.admin);
    const badSince = await operator.request<Record<string, unknown>>('sync', { since: 'yesterday' });
    expect(badSince).toMatchObject({
      ok: false,
      problem: { status: 400, code: 'request.validation_failed', errors: [{ path: 'body.since' }] },
    });
    expect(await operator.request('sync')).toMatchObject({ ok: false, problem: { status: 400 } });
    expect(await operator.request('sync', { since: 0, extra: true })).toMatchObject({ ok: false });
    expect(await operator.request('conversation.join', { conversationId: 'nope' })).toMatchObject({
      ok: false,
      problem: { status: 400, code: 'request.validation_failed' },
    });
    expect(await operator.request('conversation.join', 'not an object')).toMatchObject({ ok: false });
    expect(
      await operator.request('typing', { conversationId: new Types.ObjectId().toHexString() }),
    ).toMatchObject({ ok: false, problem: { code: 'resource.not_found' } });
    expect(await operator.request('action', 'no.such.action', {})).toMatchObject({
      ok: false,
      problem: { status: 404, code: 'route.not_found' },
    });
    expect(await operator.request('action', { name: 42 })).toMatchObject({
      ok: false,
      problem: { code: 'request.validation_failed' },
    });
    // No ack at all, and garbage: tolerated without a crash.
    operator.socket.emit('sync', { since: -1 });
    operator.socket.emit('action');
    operator.socket.emit('conversation.leave', null);
    const answer = await operator.request<SyncAnswer>('sync', { since: 0 });
    expect(answer.ok).toBe(true);
    expect(operator.socket.connected).toBe(true);
  });

  it('runs an operator action over the socket with the HTTP problem shape on failure', async () => {
    const a = await shop('Socket action');
    const b = await shop('Socket action other');
    const actor = await connect(a.admin);
    const watcher = await connect(a.agent);
    const conv = await conversation(a.workspaceId);
    const tagged = await actor.request<{ ok: boolean; result: { id: string; tags: string[] } }>(
      'action',
      'conversation.tags',
      { conversationId: conv, tags: ['vip', 'delivery'] },
    );
    expect(tagged).toMatchObject({ ok: true, result: { id: conv, tags: ['vip', 'delivery'] } });
    const live = await watcher.waitForEvent(
      (e) => e.type === 'conversation.updated' && e.conversationId === conv,
    );
    expect(live.data).toMatchObject({ id: conv, tags: ['vip', 'delivery'] });
    expect((await read(conv)).tags).toEqual(['vip', 'delivery']);

    const invalid = await actor.request<Record<string, unknown>>('action', 'conversation.tags', {
      conversationId: conv,
      tags: 'not a list',
    });
    expect(invalid).toMatchObject({
      ok: false,
      problem: {
        type: '/docs/errors#request-validation-failed',
        status: 400,
        code: 'request.validation_failed',
        errors: [{ path: 'body.tags' }],
      },
    });
    const foreign = await connect(b.admin);
    const bola = await foreign.request<Record<string, unknown>>('action', 'note.add', {
      conversationId: conv,
      text: 'not yours',
    });
    expect(bola).toMatchObject({ ok: false, problem: { status: 404, code: 'resource.not_found' } });
    expect(await bed.stack.models.InboxMessage.countDocuments({ conversationId: conv, kind: 'note' })).toBe(
      0,
    );
    const noted = await actor.request<Record<string, unknown>>('action', 'note.add', {
      conversationId: conv,
      text: 'mine',
    });
    expect(noted).toMatchObject({ ok: true, result: { kind: 'note', text: 'mine' } });
  });

  it('sends typing to the others in the conversation room only, unstored, with the current seq', async () => {
    const a = await shop('Typing');
    const conv = await conversation(a.workspaceId);
    const other = await conversation(a.workspaceId);
    const typist = await connect(a.admin);
    const reader = await connect(a.agent);
    const elsewhere = await connect(a.agent);
    expect((await typist.request('conversation.join', { conversationId: conv })).ok).toBe(true);
    expect((await reader.request('conversation.join', { conversationId: conv })).ok).toBe(true);
    expect((await elsewhere.request('conversation.join', { conversationId: other })).ok).toBe(true);
    const stored = await bed.stack.models.InboxEvent.countDocuments({ workspaceId: a.workspaceId });
    const seq = await bed.stack.inbox.events.currentSeq(a.id);

    expect(await typist.request('typing', { conversationId: conv })).toEqual({ ok: true, throttled: false });
    const notice = await waitFor(() => reader.typing[0]);
    expect(notice).toEqual({
      conversationId: conv,
      operatorId: typist.session.operatorId,
      name: 'Administrator',
      seq,
      ephemeral: true,
    });
    expect(await typist.request('typing', { conversationId: conv })).toEqual({ ok: true, throttled: true });
    // The room left: no more notices for that socket.
    expect((await reader.request('conversation.leave', { conversationId: conv })).ok).toBe(true);
    expect(await reader.request('typing', { conversationId: conv })).toMatchObject({ ok: false });
    await note(a.id, conv, 'a later event shows the earlier notices were flushed');
    await reader.waitForEvent((e) => e.data.text === 'a later event shows the earlier notices were flushed');
    await elsewhere.waitForEvent(
      (e) => e.data.text === 'a later event shows the earlier notices were flushed',
    );
    expect(typist.typing).toEqual([]);
    expect(elsewhere.typing).toEqual([]);
    expect(reader.typing).toHaveLength(1);
    expect(
      await bed.stack.models.InboxEvent.countDocuments({ workspaceId: a.workspaceId, type: 'typing' }),
    ).toBe(0);
    expect(await bed.stack.models.InboxEvent.countDocuments({ workspaceId: a.workspaceId })).toBeGreaterThan(
      stored,
    );
  });
});

describe('GET /v1/inbox/operators', () => {
  it('lists the workspace operators with presence, load and capacity, scoped to the workspace', async () => {
    const a = await shop('Roster');
    const b = await shop('Other roster');
    await conversation(a.workspaceId, 'human').then((id) =>
      bed.stack.models.Conversation.updateOne({ _id: id }, { $set: { assigneeId: null } }),
    );
    const agent = await connect(a.agent);
    const agentId = agent.session.operatorId ?? '';
    await bed.stack.models.Conversation.create({
      workspaceId: a.workspaceId,
      contactId: new Types.ObjectId(),
      channelId: new Types.ObjectId(),
      channelType: 'telegram',
      externalChatId: randomBytes(6).toString('hex'),
      state: 'human',
      assigneeId: new Types.ObjectId(agentId),
      lastMessageAt: new Date(),
    });
    const list = await request(bed.stack.app)
      .get('/v1/inbox/operators')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .expect(200);
    expect(list.body).toHaveLength(2);
    expect(list.body).toEqual(
      expect.arrayContaining([
        {
          id: agentId,
          name: 'Agent Smith',
          email: a.agent.email,
          role: 'operator',
          online: true,
          load: 1,
          maxConversations: 5,
        },
        expect.objectContaining({ role: 'admin', online: false, load: 0 }),
      ]),
    );
    const other = await request(bed.stack.app)
      .get('/v1/inbox/operators')
      .set('Authorization', `Bearer ${b.apiKey}`)
      .expect(200);
    expect(other.body.map((o: { id: string }) => o.id)).not.toContain(agentId);
    await request(bed.stack.app).get('/v1/inbox/operators').expect(401);
  });
});

describe('inbox event retention', () => {
  /** Back-dates stored events (createdAt is immutable through mongoose, so on the raw collection). */
  const age = (workspaceId: string, seqs: number[], createdAt: Date) =>
    bed.stack.models.InboxEvent.collection.updateMany(
      { workspaceId: new Types.ObjectId(workspaceId), seq: { $in: seqs } },
      { $set: { createdAt } },
    );

  it("purges events older than the retention but keeps each workspace's latest seq", async () => {
    const a = await shop('Retention');
    const conv = await conversation(a.workspaceId);
    const old1 = await note(a.id, conv, 'old 1');
    const old2 = await note(a.id, conv, 'old 2');
    const fresh = await note(a.id, conv, 'fresh');
    const longAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    await age(a.workspaceId, [old1.seq, old2.seq], longAgo);
    const deleted = await purgeOldInboxEvents(bed.stack.models);
    expect(deleted).toBeGreaterThanOrEqual(2);
    const left = await bed.stack.models.InboxEvent.find({ workspaceId: a.workspaceId })
      .sort({ seq: 1 })
      .lean();
    expect(left.map((e) => e.seq)).not.toContain(old1.seq);
    expect(left.map((e) => e.seq)).toContain(fresh.seq);

    // A workspace whose every event is old keeps its latest, so a re-seeded seq never goes back.
    const quiet = await shop('Quiet');
    const q1 = await note(quiet.id, await conversation(quiet.workspaceId), 'q1');
    const q2 = await note(quiet.id, await conversation(quiet.workspaceId), 'q2');
    await age(quiet.workspaceId, [q1.seq, q2.seq], longAgo);
    await purgeOldInboxEvents(bed.stack.models);
    const kept = await bed.stack.models.InboxEvent.find({ workspaceId: quiet.workspaceId }).lean();
    expect(kept.map((e) => e.seq)).toEqual([q2.seq]);
    expect(q1.seq).toBeLessThan(q2.seq);
    await deleteKeys(bed.stack.redis, `${bed.stack.config.QUEUE_PREFIX}:inbox:seq:${quiet.workspaceId}`);
    const next = await note(quiet.id, await conversation(quiet.workspaceId), 'after purge and flush');
    expect(next.seq).toBe(q2.seq + 1);
  });
});

describe('two API processes', () => {
  const processes: VestnikProcess[] = [];
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    // Two real `vestnik serve` processes on this suite's database and Redis prefix.
    const env = {
      MONGODB_URI: bed.stack.env.MONGODB_URI ?? '',
      MONGODB_DB: bed.stack.env.MONGODB_DB ?? '',
      QUEUE_PREFIX: bed.stack.config.QUEUE_PREFIX,
      PORT: '0',
      SECRETS_KEY: randomBytes(32).toString('base64'),
    };
    const [a, b] = [spawnVestnik(['serve'], env), spawnVestnik(['serve'], env)];
    processes.push(a, b);
    [urlA, urlB] = await Promise.all([a.ready(60_000), b.ready(60_000)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.allSettled(
      processes.filter((proc) => proc.child.exitCode === null).map((proc) => proc.stop('SIGTERM')),
    );
  });

  it('delivers an event raised through process A to an operator connected to process B', async () => {
    expect(urlA).not.toBe(urlB);
    const a = await shop('Two nodes');
    const conv = await conversation(a.workspaceId);
    const onB = await connect(a.admin, urlB);
    expect(onB.session).toMatchObject({ workspaceId: a.workspaceId, kind: 'operator' });

    const res = await fetch(`${urlA}/v1/conversations/${conv}/notes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'written on node A' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string };
    const event = await onB.waitForEvent((e) => e.type === 'message.created' && e.conversationId === conv);
    expect(event.data).toMatchObject({ id: created.id, kind: 'note', text: 'written on node A' });
    // What B pushed live is what B replays from MongoDB.
    const replay = await onB.request<SyncAnswer>('sync', { since: event.seq - 1 });
    expect(replay.events[0]).toEqual(event);
  });

  it('carries presence and typing between the processes', async () => {
    const a = await shop('Two nodes typing');
    const conv = await conversation(a.workspaceId);
    const onB = await connect(a.admin, urlB);
    const onA = await connect(a.agent, urlA);
    const agentId = onA.session.operatorId;
    // The agent came online on A: B's operator hears it.
    await onB.waitForEvent(
      (e) => e.type === 'operator.presence' && e.data.operatorId === agentId && e.data.online === true,
    );
    expect((await onB.request('conversation.join', { conversationId: conv })).ok).toBe(true);
    expect((await onA.request('conversation.join', { conversationId: conv })).ok).toBe(true);
    expect(await onA.request('typing', { conversationId: conv })).toEqual({ ok: true, throttled: false });
    const notice = await waitFor(() => onB.typing[0]);
    expect(notice).toMatchObject({
      conversationId: conv,
      operatorId: agentId,
      name: 'Agent Smith',
      ephemeral: true,
    });
    // Both processes list the agent online; when the agent leaves A, B's operator hears that too.
    for (const url of [urlA, urlB]) {
      const res = await fetch(`${url}/v1/inbox/operators`, {
        headers: { Authorization: `Bearer ${a.apiKey}` },
      });
      const list = (await res.json()) as { id: string; online: boolean }[];
      expect(list.find((o) => o.id === agentId)?.online).toBe(true);
    }
    onA.close();
    await onB.waitForEvent(
      (e) => e.type === 'operator.presence' && e.data.operatorId === agentId && e.data.online === false,
    );
  });
});
