import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import { expectBolaMatrix } from '../helpers/bola';
import { api, operatorSession, seedConversation } from '../helpers/inbox-api-fixture';
import {
  type NotificationFixture,
  personWithContact,
  startNotificationFixture,
} from '../helpers/notification-fixture';

let fx: NotificationFixture;

beforeAll(async () => {
  fx = await startNotificationFixture('inbox-bola');
}, 120_000);
afterAll(async () => {
  await fx?.close();
});

describe('inbox routes are scoped to their workspace', () => {
  it('answers another workspace’s ids with 404 on every inbox route', async () => {
    const { user, contactId } = await personWithContact(fx, '+79165550999', { name: 'Victim' });
    const conv = await seedConversation(fx, {
      channelType: 'telegram',
      externalChatId: user.accounts.telegram?.id ?? '',
      contactName: 'Victim',
      tags: ['secret'],
    });
    const other = await fx.stack.models.Contact.create({ workspaceId: fx.workspaceId, name: 'Victim twin' });
    const owner = await operatorSession(fx, fx.workspaceId, 'Owner');
    const canned = await api(fx, fx.apiKey)
      .post('/canned-responses', { shortcut: 'secret', title: 'Secret', text: 'Hi {{contact.name}}' })
      .expect(201);
    const c = `/v1/conversations/${String(conv._id)}`;
    const k = `/v1/canned-responses/${String(canned.body.id)}`;
    await expectBolaMatrix(fx.stack.app, {
      attacker: fx.otherKey,
      owner: fx.apiKey,
      cases: [
        { method: 'get', path: c },
        { method: 'get', path: `${c}/messages` },
        { method: 'get', path: `${c}/composer` },
        { method: 'get', path: `${c}/canned-responses` },
        { method: 'post', path: `${c}/messages`, body: { text: 'hello' } },
        { method: 'post', path: `${c}/notes`, body: { text: 'note' } },
        { method: 'post', path: `${c}/assign`, body: { operatorId: owner.id } },
        { method: 'post', path: `${c}/assign`, body: { operatorId: null } },
        { method: 'put', path: `${c}/tags`, body: { tags: ['x'] } },
        { method: 'post', path: `${c}/read` },
        { method: 'post', path: `${c}/resolve` },
        { method: 'post', path: `${c}/reopen` },
        { method: 'patch', path: k, body: { title: 'Changed' } },
        { method: 'get', path: `/v1/contacts/${contactId}` },
        { method: 'post', path: `/v1/contacts/${contactId}/merge`, body: { contactId: String(other._id) } },
        { method: 'delete', path: k },
      ],
    });
  });

  it('never lists, searches or exports another workspace’s conversations', async () => {
    const conv = await seedConversation(fx, {
      channelType: 'telegram',
      contactName: 'Hidden Person',
      tags: ['leak'],
    });
    const id = String(conv._id);
    const attacker = api(fx, fx.otherKey);
    for (const query of [
      '',
      '?q=Hidden',
      '?tag=leak',
      `?channel=${fx.channels.telegram}`,
      '?channel=telegram',
    ]) {
      const res = await attacker.get(`/conversations${query}`).expect(200);
      expect(res.body.items).toEqual([]);
      expect(res.body.unread.total).toBe(0);
    }
    const csv = await request(fx.stack.app)
      .get('/v1/conversations/export.csv?tag=leak')
      .set('Authorization', `Bearer ${fx.otherKey}`)
      .expect(200);
    expect(csv.text).not.toContain(id);
    expect((await attacker.get('/canned-responses').expect(200)).body.items).toEqual([]);
    const ownList = await api(fx, fx.apiKey).get('/conversations?q=Hidden').expect(200);
    expect(ownList.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
  });

  it('refuses an API key without the inbox scopes', async () => {
    const readOnly = (
      await createApiKey(fx.stack.models, fx.workspaceId, { name: 'ro', scopes: ['inbox:read'] })
    ).key;
    const conv = await seedConversation(fx, { channelType: 'telegram' });
    const res = await api(fx, readOnly)
      .post(`/conversations/${String(conv._id)}/resolve`)
      .expect(403);
    expect(res.body.code).toBe('auth.scope_missing');
    await api(fx, readOnly)
      .get(`/conversations/${String(conv._id)}`)
      .expect(200);
  });
});
