import { Types } from 'mongoose';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { api, type OperatorSession, operatorSession, seedConversation } from '../helpers/inbox-api-fixture';
import { type NotificationFixture, startNotificationFixture } from '../helpers/notification-fixture';

let fx: NotificationFixture;

beforeAll(async () => {
  fx = await startNotificationFixture('inbox-api');
}, 120_000);
afterAll(async () => {
  await fx?.close();
});

/** A fresh workspace, so the list sees only what the test put there. */
async function freshWorkspace(name: string) {
  const created = await createWorkspace(fx.stack.models, { name });
  return { workspaceId: trustedWorkspaceId(created.workspaceId), apiKey: created.apiKey };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);

describe('the conversation list', () => {
  let workspaceId: WorkspaceId;
  let apiKey: string;
  let anna: OperatorSession;
  let boris: OperatorSession;
  const vkChannel = new Types.ObjectId().toHexString();
  const waChannel = new Types.ObjectId().toHexString();
  const c: Record<string, string> = {};

  beforeAll(async () => {
    ({ workspaceId, apiKey } = await freshWorkspace('List'));
    anna = await operatorSession(fx, workspaceId, 'Anna');
    boris = await operatorSession(fx, workspaceId, 'Boris');
    const seed = async (key: string, channelType: string, channelId: string, extra: object) => {
      const doc = await seedConversation(fx, { channelType, ...extra }, workspaceId, channelId);
      c[key] = String(doc._id);
    };
    await seed('queued', 'vk', vkChannel, {
      contactName: 'Мария Иванова',
      contactPhone: '+79120000001',
      lastMessageAt: minutesAgo(1),
      unreadCount: 2,
      tags: ['vip'],
      messages: ['Где мой заказ?'],
    });
    await seed('mine', 'whatsapp', waChannel, {
      contactName: 'Пётр',
      contactPhone: '+79120000002',
      state: 'human',
      assigneeId: anna.id,
      lastMessageAt: minutesAgo(2),
      unreadCount: 3,
      messages: ['price is 5$ (.*) really?'],
    });
    await seed('boris', 'vk', vkChannel, {
      contactName: 'Ольга',
      state: 'human',
      assigneeId: boris.id,
      lastMessageAt: minutesAgo(3),
      tags: ['vip', 'refund'],
    });
    await seed('bot', 'whatsapp', waChannel, {
      contactName: 'Бот-клиент',
      state: 'bot',
      lastMessageAt: minutesAgo(4),
      unreadCount: 7,
    });
    await seed('closed', 'vk', vkChannel, {
      contactName: 'Иван',
      state: 'closed',
      lastMessageAt: minutesAgo(5),
      unreadCount: 0,
    });
  }, 60_000);

  it('sorts by last activity and sums the unread count of open conversations', async () => {
    const res = await api(fx, apiKey).get('/conversations').expect(200);
    expect(ids(res.body)).toEqual([c.queued, c.mine, c.boris, c.bot, c.closed]);
    expect(res.body.unread).toEqual({ total: 5 });
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items[0]).toMatchObject({
      status: 'open',
      state: 'queued',
      tags: ['vip'],
      unreadCount: 2,
    });
  });

  it('filters by status, assignee, channel and tag', async () => {
    const list = async (query: string, token = apiKey) =>
      ids((await api(fx, token).get(`/conversations?${query}`).expect(200)).body);
    expect(await list('status=open')).toEqual([c.queued, c.mine, c.boris]);
    expect(await list('status=pending')).toEqual([c.bot]);
    expect(await list('status=resolved')).toEqual([c.closed]);
    expect(await list('assignee=me', anna.token)).toEqual([c.mine]);
    expect(await list('assignee=me&status=resolved', anna.token)).toEqual([]);
    expect(await list('assignee=unassigned&status=open')).toEqual([c.queued]);
    expect(await list(`assignee=${boris.id}`)).toEqual([c.boris]);
    expect(await list('channel=whatsapp')).toEqual([c.mine, c.bot]);
    expect(await list(`channel=${vkChannel}`)).toEqual([c.queued, c.boris, c.closed]);
    expect(await list('tag=VIP')).toEqual([c.queued, c.boris]);
    expect(await list('tag=refund&channel=vk')).toEqual([c.boris]);
  });

  it('searches names, phones and message text literally, case-insensitively', async () => {
    const search = async (q: string) =>
      ids(
        (
          await api(fx, apiKey)
            .get(`/conversations?q=${encodeURIComponent(q)}`)
            .expect(200)
        ).body,
      );
    expect(await search('мария')).toEqual([c.queued]);
    expect(await search('+7 912 000-00-02')).toEqual([c.mine]);
    expect(await search('0000001')).toEqual([c.queued]);
    expect(await search('ГДЕ МОЙ')).toEqual([c.queued]);
    // Regex metacharacters are text: `(.*)` matches only the message that contains it.
    expect(await search('(.*)')).toEqual([c.mine]);
    expect(await search('5$')).toEqual([c.mine]);
    expect(await search('.*')).toEqual([c.mine]);
    expect(await search('[')).toEqual([]);
    expect(await search('^Мария')).toEqual([]);
  });

  it('pages with an opaque cursor and refuses a forged one', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const res = await api(fx, apiKey).get(`/conversations?${query}`).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res.body));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([c.queued, c.mine, c.boris, c.bot, c.closed]);
    for (const bad of ['nonsense', Buffer.from('{"at":1}').toString('base64url'), 'eyJ']) {
      const res = await api(fx, apiKey).get(`/conversations?cursor=${bad}`).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors[0].path).toBe('query.cursor');
    }
  });

  it('answers bad filters with a problem, not a 500', async () => {
    const me = await api(fx, apiKey).get('/conversations?assignee=me').expect(422);
    expect(me.body.code).toBe('inbox.operator_required');
    await api(fx, apiKey).get('/conversations?assignee=someone').expect(400);
    await api(fx, apiKey).get('/conversations?channel=nope').expect(400);
    await api(fx, apiKey).get('/conversations?status=archived').expect(400);
    await api(fx, apiKey).get('/conversations?limit=101').expect(400);
  });
});

describe('operator actions', () => {
  let anna: OperatorSession;
  let boris: OperatorSession;

  beforeAll(async () => {
    anna = await operatorSession(fx, fx.workspaceId, 'Anna');
    boris = await operatorSession(fx, fx.workspaceId, 'Boris');
  });

  const thread = async (id: string) =>
    (await api(fx, fx.apiKey).get(`/conversations/${id}/messages`).expect(200)).body.items as Array<{
      kind: string;
      direction: string;
      text: string;
      author: { type: string; operatorId: string | null; name: string | null };
    }>;

  it('assigns, transfers and unassigns, telling the story in the thread and the events', async () => {
    const conv = await seedConversation(fx, { channelType: 'telegram', contactName: 'Клиент' });
    const id = String(conv._id);
    const since = await fx.stack.inbox.events.currentSeq(fx.workspaceId);
    const assigned = await api(fx, anna.token)
      .post(`/conversations/${id}/assign`, { operatorId: anna.id })
      .expect(200);
    expect(assigned.body).toMatchObject({ state: 'human', assigneeId: anna.id, queuedAt: null });
    const transferred = await api(fx, anna.token)
      .post(`/conversations/${id}/assign`, { operatorId: boris.id })
      .expect(200);
    expect(transferred.body).toMatchObject({ state: 'human', assigneeId: boris.id });
    const unassigned = await api(fx, boris.token)
      .post(`/conversations/${id}/assign`, { operatorId: null })
      .expect(200);
    expect(unassigned.body).toMatchObject({ state: 'queued', assigneeId: null });
    expect(unassigned.body.queuedAt).not.toBeNull();
    // The same assignment again changes nothing and adds no line.
    await api(fx, boris.token).post(`/conversations/${id}/assign`, { operatorId: null }).expect(200);
    const lines = (await thread(id)).filter((m) => m.kind === 'event').map((m) => m.text);
    expect(lines).toEqual([
      'Boris unassigned Boris',
      'Anna transferred from Anna to Boris',
      'Anna assigned to Anna',
    ]);
    const events = await fx.stack.inbox.events.since(fx.workspaceId, since, 100);
    const updates = events.filter((e) => e.type === 'conversation.updated' && e.conversationId === id);
    expect(updates.map((e) => (e.data as { assigneeId: string | null }).assigneeId)).toEqual([
      anna.id,
      boris.id,
      null,
    ]);
    expect(events.filter((e) => e.type === 'message.created' && e.conversationId === id)).toHaveLength(3);
  });

  it('refuses disabled, foreign and unknown operators', async () => {
    const conv = await seedConversation(fx, { channelType: 'telegram' });
    const id = String(conv._id);
    const disabled = await operatorSession(fx, fx.workspaceId, 'Gone');
    await fx.stack.models.Operator.updateOne(
      { _id: disabled.id },
      { $set: { disabledAt: new Date() } },
    ).exec();
    const other = await freshWorkspace('Other ops');
    const foreign = await operatorSession(fx, other.workspaceId, 'Foreign');
    const off = await api(fx, anna.token)
      .post(`/conversations/${id}/assign`, { operatorId: disabled.id })
      .expect(422);
    expect(off.body.code).toBe('inbox.operator_unavailable');
    for (const operatorId of [foreign.id, new Types.ObjectId().toHexString(), 'not-an-id']) {
      const res = await api(fx, anna.token).post(`/conversations/${id}/assign`, { operatorId }).expect(404);
      expect(res.body.code).toBe('resource.not_found');
    }
    await api(fx, anna.token).post(`/conversations/${id}/assign`, {}).expect(400);
    const after = await api(fx, anna.token).get(`/conversations/${id}`).expect(200);
    expect(after.body.assigneeId).toBeNull();
  });

  it('resolves, reopens, tags, reads and keeps notes internal', async () => {
    const conv = await seedConversation(fx, {
      channelType: 'telegram',
      unreadCount: 4,
      state: 'human',
      assigneeId: anna.id,
    });
    const id = String(conv._id);
    const read = await api(fx, anna.token).post(`/conversations/${id}/read`).expect(200);
    expect(read.body.unreadCount).toBe(0);
    const tags = await api(fx, anna.token)
      .put(`/conversations/${id}/tags`, { tags: ['  VIP ', 'refund', 'vip'] })
      .expect(200);
    expect(tags.body.tags).toEqual(['vip', 'refund']);
    await api(fx, anna.token)
      .put(`/conversations/${id}/tags`, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })
      .expect(400);
    await api(fx, anna.token)
      .put(`/conversations/${id}/tags`, { tags: ['x'.repeat(41)] })
      .expect(400);
    const resolved = await api(fx, anna.token).post(`/conversations/${id}/resolve`).expect(200);
    expect(resolved.body).toMatchObject({ state: 'closed', status: 'resolved', unreadCount: 0 });
    expect(resolved.body.resolvedAt).not.toBeNull();
    const reopened = await api(fx, anna.token).post(`/conversations/${id}/reopen`).expect(200);
    expect(reopened.body).toMatchObject({ state: 'human', assigneeId: anna.id, resolvedAt: null });
    const note = await api(fx, anna.token)
      .post(`/conversations/${id}/notes`, { text: 'Звонил, не дозвонился' })
      .expect(201);
    expect(note.body).toMatchObject({
      kind: 'note',
      direction: 'internal',
      author: { operatorId: anna.id, name: 'Anna' },
    });
    await api(fx, anna.token).post(`/conversations/${id}/notes`, { text: '   ' }).expect(400);
    const lines = (await thread(id)).map((m) => `${m.kind}:${m.text}`);
    expect(lines).toEqual([
      'note:Звонил, не дозвонился',
      'event:Anna reopened',
      'event:Anna resolved',
      'event:Anna tagged: vip, refund',
    ]);
    // Notes and events are never sent: nothing was queued for this conversation.
    const outbound = await fx.stack.models.InboxMessage.countDocuments({
      conversationId: conv._id,
      direction: 'outbound',
    });
    expect(outbound).toBe(0);
  });

  it('reopens an unassigned conversation into the queue', async () => {
    const conv = await seedConversation(fx, { channelType: 'telegram', state: 'closed' });
    const res = await api(fx, fx.apiKey)
      .post(`/conversations/${String(conv._id)}/reopen`)
      .expect(200);
    expect(res.body).toMatchObject({ state: 'queued', status: 'open' });
    expect(res.body.queuedAt).not.toBeNull();
  });

  it('runs the same actions over the shared action list', async () => {
    const conv = await seedConversation(fx, { channelType: 'telegram' });
    const action = fx.stack.inbox.actions.find((a) => a.name === 'conversation.tags');
    expect(action).toBeDefined();
    const principal = await fx.stack.auth.authenticate({
      headers: { authorization: `Bearer ${anna.token}` },
    } as never);
    const result = await action?.run(
      principal,
      action.input.parse({ conversationId: String(conv._id), tags: ['A'] }),
    );
    expect(result).toMatchObject({ tags: ['a'] });
    expect(fx.stack.inbox.actions.map((a) => a.name).sort()).toEqual([
      'conversation.assign',
      'conversation.read',
      'conversation.reopen',
      'conversation.resolve',
      'conversation.tags',
      'message.send',
      'note.add',
    ]);
  });
});

describe('canned responses', () => {
  it('creates, lists, edits and deletes, with unique shortcuts and known placeholders only', async () => {
    const { apiKey } = await freshWorkspace('Canned');
    const hello = await api(fx, apiKey)
      .post('/canned-responses', {
        shortcut: 'Hello',
        title: 'Greeting',
        text: 'Здравствуйте, {{contact.name}}! Я {{ operator.name }}.',
      })
      .expect(201);
    expect(hello.body.shortcut).toBe('hello');
    const dup = await api(fx, apiKey)
      .post('/canned-responses', { shortcut: 'hello', title: 'x', text: 'y' })
      .expect(409);
    expect(dup.body.code).toBe('resource.conflict');
    const unknown = await api(fx, apiKey)
      .post('/canned-responses', { shortcut: 'bad', title: 'x', text: 'Hi {{contact.surname}}' })
      .expect(422);
    expect(unknown.body.code).toBe('inbox.canned_placeholder_unknown');
    expect(unknown.body.detail).toContain('{{contact.surname}}');
    const bye = await api(fx, apiKey)
      .post('/canned-responses', { shortcut: 'bye', title: 'Bye', text: 'Пока!' })
      .expect(201);
    await api(fx, apiKey).patch(`/canned-responses/${bye.body.id}`, { shortcut: 'hello' }).expect(409);
    await api(fx, apiKey).patch(`/canned-responses/${bye.body.id}`, { text: '{{nope}}' }).expect(422);
    const edited = await api(fx, apiKey)
      .patch(`/canned-responses/${bye.body.id}`, { text: 'До свидания!' })
      .expect(200);
    expect(edited.body).toMatchObject({ shortcut: 'bye', text: 'До свидания!' });
    const listed = await api(fx, apiKey).get('/canned-responses').expect(200);
    expect(listed.body.items.map((item: { shortcut: string }) => item.shortcut)).toEqual(['bye', 'hello']);
    await api(fx, apiKey).delete(`/canned-responses/${bye.body.id}`).expect(204);
    await api(fx, apiKey).delete(`/canned-responses/${bye.body.id}`).expect(404);
    await api(fx, apiKey)
      .post('/canned-responses', { shortcut: 'has space', title: 'x', text: 'y' })
      .expect(400);
  });

  it('fills the placeholders for a conversation and its operator', async () => {
    const anna = await operatorSession(fx, fx.workspaceId, 'Анна');
    await api(fx, fx.apiKey)
      .post('/canned-responses', {
        shortcut: 'greet',
        title: 'Greet',
        text: '{{contact.name}} ({{contact.phone}}), на связи {{operator.name}}',
      })
      .expect(201);
    const conv = await seedConversation(fx, {
      channelType: 'telegram',
      contactName: 'Мария',
      contactPhone: '+79120000009',
    });
    const res = await api(fx, anna.token)
      .get(`/conversations/${String(conv._id)}/canned-responses`)
      .expect(200);
    const greet = res.body.items.find((item: { shortcut: string }) => item.shortcut === 'greet');
    expect(greet.text).toBe('Мария (+79120000009), на связи Анна');
  });
});

describe('CSV export', () => {
  it('streams the filtered conversations as RFC 4180 CSV, safe to open in a spreadsheet', async () => {
    const { workspaceId, apiKey } = await freshWorkspace('Export');
    const vk = new Types.ObjectId().toHexString();
    const tg = new Types.ObjectId().toHexString();
    const a = await seedConversation(
      fx,
      {
        channelType: 'vk',
        externalChatId: '1001',
        contactName: 'Иванов, "Ваня"',
        contactPhone: '+79120000003',
        tags: ['promo', 'vip'],
        lastMessageAt: minutesAgo(1),
      },
      workspaceId,
      vk,
    );
    const b = await seedConversation(
      fx,
      {
        channelType: 'vk',
        externalChatId: '1002',
        contactName: '=HYPERLINK("http://evil")',
        tags: ['promo'],
        lastMessageAt: minutesAgo(2),
      },
      workspaceId,
      vk,
    );
    await seedConversation(
      fx,
      { channelType: 'telegram', externalChatId: '2001', contactName: 'tg', tags: ['promo'] },
      workspaceId,
      tg,
    );
    await seedConversation(
      fx,
      { channelType: 'vk', externalChatId: '1003', contactName: 'no tag' },
      workspaceId,
      vk,
    );
    const res = await api(fx, apiKey)
      .get('/conversations/export.csv?tag=promo&channel=vk')
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => {
          text += chunk;
        });
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="conversations.csv"');
    const lines = String(res.body).split('\r\n');
    expect(lines[0]).toBe(
      'conversation_id,contact_id,contact_name,phone,channel_id,channel_type,external_user_id,tags,state,last_message_at',
    );
    expect(lines[1]).toBe(
      `${String(a._id)},${String(a.contactId)},"Иванов, ""Ваня""",'+79120000003,${vk},vk,1001,promo;vip,queued,${a.lastMessageAt.toISOString()}`,
    );
    expect(lines[2]).toBe(
      `${String(b._id)},${String(b.contactId)},"'=HYPERLINK(""http://evil"")",,${vk},vk,1002,promo,queued,${b.lastMessageAt.toISOString()}`,
    );
    expect(lines.slice(3)).toEqual(['']);
    await api(fx, apiKey).get('/conversations/export.csv?channel=???').expect(400);
  });
});
