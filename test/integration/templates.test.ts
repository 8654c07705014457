import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import { addOperator } from '../../src/auth/operators';
import type { Principal } from '../../src/auth/principal';
import { scopes } from '../../src/auth/scopes';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { TemplateService } from '../../src/templates/template-service';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { expectBolaMatrix } from '../helpers/bola';
import { recordEvents } from '../helpers/event-recorder';
import { createTestStack, type TestStack } from '../helpers/test-stack';
import { makeJpeg } from '../unit/templates/jpeg-bytes';

/** Templates API: versions, moderation by scope, atomic transitions and workspace isolation. */
let stack: TestStack;
let apiKey: string;
let moderatorKey: string;
let sessionToken: string;
let otherFullKey: string;
let ownerFullKey: string;
let shopWorkspaceId: string;
let otherWorkspaceId: string;

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const draft = (name: string, extra: object = {}) => ({
  name,
  body: 'Код #code#, заказ ##1',
  category: 'otp',
  channels: ['sms', 'telegram'],
  ...extra,
});

async function create(name: string, extra: object = {}) {
  const res = await request(stack.app)
    .post('/v1/templates')
    .set(bearer(apiKey))
    .send(draft(name, extra))
    .expect(201);
  return res.body as { id: string; version: number; status: string };
}

const act = (token: string, id: string, action: string, body?: object) =>
  request(stack.app)
    .post(`/v1/templates/${id}/${action}`)
    .set(bearer(token))
    .send(body ?? {});

beforeAll(async () => {
  stack = await createTestStack('templates');
  const shop = await createWorkspace(stack.models, { name: 'Shop' });
  apiKey = shop.apiKey;
  const shopId = trustedWorkspaceId(shop.workspaceId);
  shopWorkspaceId = shop.workspaceId;
  moderatorKey = (
    await createApiKey(stack.models, shopId, { name: 'cli-mod', scopes: ['templates:moderate'] })
  ).key;
  ownerFullKey = (await createApiKey(stack.models, shopId, { name: 'full', scopes })).key;
  await addOperator(stack.models, shopId, {
    email: 'mod@shop.test',
    role: 'moderator',
    password: 'moderator-pass-123',
  });
  const login = await request(stack.app)
    .post('/v1/auth/login')
    .send({ email: 'mod@shop.test', password: 'moderator-pass-123' })
    .expect(201);
  sessionToken = login.body.token;
  const other = await createWorkspace(stack.models, { name: 'Other' });
  otherWorkspaceId = other.workspaceId;
  otherFullKey = (
    await createApiKey(stack.models, trustedWorkspaceId(other.workspaceId), { name: 'full', scopes })
  ).key;
});
afterAll(() => stack.close());

describe('templates API', () => {
  it('creates, lists and reads a template', async () => {
    const created = await request(stack.app)
      .post('/v1/templates')
      .set(bearer(apiKey))
      .send(draft('otp_code', { advertisingTail: 'Скидка #promo#' }))
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'otp_code',
      version: 1,
      status: 'draft',
      placeholders: ['code', 'promo'],
      channels: ['sms', 'telegram'],
      buttons: [],
      imageIds: [],
      rejectionReason: null,
      moderatedBy: null,
    });
    const list = await request(stack.app).get('/v1/templates').set(bearer(apiKey)).expect(200);
    expect(list.body.items.map((t: { name: string }) => t.name)).toContain('otp_code');
    const one = await request(stack.app)
      .get(`/v1/templates/${created.body.id}`)
      .set(bearer(apiKey))
      .expect(200);
    expect(one.body).toEqual(created.body);
    const submitted = await create('submitted_now', { submit: true });
    expect(submitted.status).toBe('pending');
    const pending = await request(stack.app)
      .get('/v1/templates?status=pending')
      .set(bearer(apiKey))
      .expect(200);
    expect(pending.body.items.map((t: { name: string }) => t.name)).toEqual(['submitted_now']);
  });

  it('refuses a duplicate name with 409 resource.conflict', async () => {
    await create('dup_name');
    const res = await request(stack.app)
      .post('/v1/templates')
      .set(bearer(apiKey))
      .send(draft('dup_name'))
      .expect(409);
    expect(res.body.code).toBe('resource.conflict');
  });

  it('answers 400 naming the field for a missing body or a malformed placeholder', async () => {
    const { body: _omitted, ...noBody } = draft('no_body');
    const missing = await request(stack.app)
      .post('/v1/templates')
      .set(bearer(apiKey))
      .send(noBody)
      .expect(400);
    expect(missing.body.code).toBe('request.validation_failed');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('body.body');
    const malformed = await request(stack.app)
      .post('/v1/templates')
      .set(bearer(apiKey))
      .send(draft('bad_tail', { advertisingTail: 'Скидка #promo' }))
      .expect(400);
    expect(malformed.body.errors[0].path).toBe('body.advertisingTail');
    expect(malformed.body.errors[0].message).toMatch(/unmatched "#"/);
  });

  it('a business key with default scopes cannot approve', async () => {
    const t = await create('needs_mod', { submit: true });
    const res = await act(apiKey, t.id, 'approve').expect(403);
    expect(res.body.code).toBe('auth.scope_missing');
  });

  it('a moderator operator session approves and records who did', async () => {
    const t = await create('by_session', { submit: true });
    const res = await act(sessionToken, t.id, 'approve').expect(200);
    expect(res.body.status).toBe('approved');
    expect(res.body.moderatedBy).toEqual(expect.any(String));
    expect(Date.parse(res.body.moderatedAt)).not.toBeNaN();
  });

  it('a key created with templates:moderate approves; reject needs and records a reason', async () => {
    const a = await create('by_key', { submit: true });
    expect((await act(moderatorKey, a.id, 'approve').expect(200)).body.status).toBe('approved');
    const r = await create('to_reject', { submit: true });
    const noReason = await act(moderatorKey, r.id, 'reject').expect(400);
    expect(noReason.body.errors[0].path).toBe('body.reason');
    await act(moderatorKey, r.id, 'reject', { reason: 'x'.repeat(501) }).expect(400);
    const rejected = await act(moderatorKey, r.id, 'reject', { reason: 'Реклама в сервисной части' }).expect(
      200,
    );
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Реклама в сервисной части' });
    expect((await act(apiKey, r.id, 'submit').expect(200)).body.status).toBe('pending');
  });

  it('never changes an approved version: PATCH makes version 2 and version 1 stays approved', async () => {
    const v1 = await create('immutable', { submit: true });
    const approved = (await act(moderatorKey, v1.id, 'approve').expect(200)).body;
    const res = await request(stack.app)
      .patch(`/v1/templates/${v1.id}`)
      .set(bearer(apiKey))
      .send({ body: 'Новый код #code# для #name#' })
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'immutable',
      version: 2,
      status: 'draft',
      placeholders: ['code', 'name'],
    });
    expect(res.body.id).not.toBe(v1.id);
    const still = await request(stack.app).get(`/v1/templates/${v1.id}`).set(bearer(apiKey)).expect(200);
    expect(still.body).toEqual(approved);
    const again = await request(stack.app)
      .patch(`/v1/templates/${v1.id}`)
      .set(bearer(apiKey))
      .send({ body: 'ещё' })
      .expect(409);
    expect(again.body.code).toBe('resource.conflict');
    const v2 = await request(stack.app)
      .patch(`/v1/templates/${res.body.id}`)
      .set(bearer(apiKey))
      .send({ channels: ['vk'], submit: true })
      .expect(200);
    expect(v2.body).toMatchObject({ id: res.body.id, version: 2, status: 'pending', channels: ['vk'] });
    const latest = await request(stack.app).get('/v1/templates').set(bearer(apiKey)).expect(200);
    const mine = latest.body.items.filter((t: { name: string }) => t.name === 'immutable');
    expect(mine.map((t: { version: number }) => t.version)).toEqual([2]);
    const all = await request(stack.app).get('/v1/templates?versions=all').set(bearer(apiKey)).expect(200);
    const versions = all.body.items.filter((t: { name: string }) => t.name === 'immutable');
    expect(versions.map((t: { version: number; status: string }) => [t.version, t.status])).toEqual([
      [2, 'pending'],
      [1, 'approved'],
    ]);
    const approvedOnly = await request(stack.app)
      .get('/v1/templates?status=approved')
      .set(bearer(apiKey))
      .expect(200);
    expect(approvedOnly.body.items.find((t: { name: string }) => t.name === 'immutable')?.version).toBe(1);
  });

  it('answers invalid transitions with 409 template.invalid_transition', async () => {
    const t = await create('transitions');
    const early = await act(moderatorKey, t.id, 'approve').expect(409);
    expect(early.body.code).toBe('template.invalid_transition');
    expect(early.body.detail).toContain('draft');
    await act(moderatorKey, t.id, 'reject', { reason: 'no' }).expect(409);
    await act(apiKey, t.id, 'submit').expect(200);
    expect((await act(apiKey, t.id, 'submit').expect(409)).body.code).toBe('template.invalid_transition');
    await act(moderatorKey, t.id, 'approve').expect(200);
    await act(moderatorKey, t.id, 'approve').expect(409);
    await act(moderatorKey, t.id, 'reject', { reason: 'late' }).expect(409);
    await act(apiKey, t.id, 'submit').expect(409);
  });

  it('lets exactly one of two racing moderators win', async () => {
    const t = await create('race', { submit: true });
    const results = await Promise.all([
      act(moderatorKey, t.id, 'approve'),
      act(sessionToken, t.id, 'approve'),
      act(moderatorKey, t.id, 'reject', { reason: 'late' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
  });

  it('findSendable: by id only an approved version, by name the highest approved one', async () => {
    const service = new TemplateService(stack.models);
    const workspaceId = trustedWorkspaceId(shopWorkspaceId);
    const v1 = await create('sendable', { submit: true });
    expect(await service.findSendable(workspaceId, { id: v1.id })).toBeNull();
    expect(await service.findSendable(workspaceId, { name: 'sendable' })).toBeNull();
    await act(moderatorKey, v1.id, 'approve').expect(200);
    const v2 = await request(stack.app)
      .patch(`/v1/templates/${v1.id}`)
      .set(bearer(apiKey))
      .send({ body: 'Версия 2: #code#', submit: true })
      .expect(200);
    expect(await service.findSendable(workspaceId, { id: v2.body.id })).toBeNull();
    expect((await service.findSendable(workspaceId, { name: 'sendable' }))?.version).toBe(1);
    await act(moderatorKey, v2.body.id, 'approve').expect(200);
    const latest = await service.findSendable(workspaceId, { name: 'sendable' });
    expect(latest).toMatchObject({ version: 2, status: 'approved', body: 'Версия 2: #code#' });
    expect((await service.findSendable(workspaceId, { id: v1.id }))?.version).toBe(1);
    const other = trustedWorkspaceId(otherWorkspaceId);
    expect(await service.findSendable(other, { id: v1.id })).toBeNull();
    expect(await service.findSendable(other, { name: 'sendable' })).toBeNull();
    expect(await service.findSendable(workspaceId, { id: 'nope' })).toBeNull();
  });

  it('uploads a template image checked from its bytes, and templates reference only uploaded ones', async () => {
    const jpeg = makeJpeg(640, 320);
    const uploaded = await request(stack.app)
      .post('/v1/template-images')
      .set(bearer(apiKey))
      .set('Content-Type', 'image/png')
      .send(jpeg)
      .expect(201);
    expect(uploaded.body).toMatchObject({ bytes: jpeg.length, width: 640, height: 320 });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const refused = await request(stack.app)
      .post('/v1/template-images')
      .set(bearer(apiKey))
      .set('Content-Type', 'image/jpeg')
      .send(png)
      .expect(400);
    expect(refused.body.errors[0]).toMatchObject({
      path: 'body',
      message: expect.stringMatching(/^images\.format/),
    });
    const thin = await request(stack.app)
      .post('/v1/template-images')
      .set(bearer(apiKey))
      .set('Content-Type', 'image/jpeg')
      .send(makeJpeg(2100, 100))
      .expect(400);
    expect(thin.body.errors[0].message).toMatch(/^images\.aspectRatio/);
    await request(stack.app).post('/v1/template-images').set(bearer(apiKey)).send({ image: 'x' }).expect(400);
    const download = await request(stack.app)
      .get(`/v1/template-images/${uploaded.body.id}`)
      .set(bearer(apiKey))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(download.body as Buffer, jpeg)).toBe(0);
    await request(stack.app)
      .get(`/v1/template-images/${uploaded.body.id}`)
      .set(bearer(otherFullKey))
      .expect(404);

    const unknown = '0123456789abcdef01234567';
    const bad = await request(stack.app)
      .post('/v1/templates')
      .set(bearer(apiKey))
      .send(draft('with_images', { images: [uploaded.body.id, unknown] }))
      .expect(400);
    expect(bad.body.errors).toEqual([{ path: 'body.images.1', message: expect.stringContaining(unknown) }]);
    const ok = await create('with_images', { images: [uploaded.body.id] });
    expect((ok as unknown as { imageIds: string[] }).imageIds).toEqual([uploaded.body.id]);
    const foreign = await request(stack.app)
      .post('/v1/template-images')
      .set(bearer(otherFullKey))
      .set('Content-Type', 'image/jpeg')
      .send(jpeg)
      .expect(201);
    const stolen = await request(stack.app)
      .patch(`/v1/templates/${ok.id}`)
      .set(bearer(apiKey))
      .send({ images: [foreign.body.id] })
      .expect(400);
    expect(stolen.body.errors[0].path).toBe('body.images.0');
  });

  it('refuses buttons an allowed channel cannot carry, naming the channel', async () => {
    const four = ['Да', 'Нет', 'Позже', 'Оператор'].map((label) => ({ kind: 'text', label }));
    const tooMany = await request(stack.app)
      .post('/v1/templates')
      .set(bearer(apiKey))
      .send(draft('wa_buttons', { channels: ['telegram', 'whatsapp'], buttons: four }))
      .expect(400);
    expect(tooMany.body.errors).toEqual([
      { path: 'body.buttons', message: expect.stringMatching(/^whatsapp: .*at most 3/) },
    ]);
    const textOnEmail = await request(stack.app)
      .post('/v1/templates')
      .set(bearer(apiKey))
      .send(draft('email_buttons', { channels: ['email'], buttons: [{ kind: 'text', label: 'Да' }] }))
      .expect(400);
    expect(textOnEmail.body.errors[0].message).toMatch(/^email: /);
    const fine = await create('fine_buttons', { channels: ['telegram', 'sms', 'vk-notify'], buttons: four });
    const widened = await request(stack.app)
      .patch(`/v1/templates/${fine.id}`)
      .set(bearer(apiKey))
      .send({ channels: ['whatsapp'] })
      .expect(400);
    expect(widened.body.errors[0].message).toMatch(/^whatsapp: /);
  });

  it('publishes template.moderated for each decision of our moderators', async () => {
    const recorder = recordEvents();
    const service = new TemplateService(stack.models, { events: recorder });
    const principal: Principal = {
      kind: 'apiKey',
      workspaceId: trustedWorkspaceId(shopWorkspaceId),
      keyId: 'cli-mod',
      credentialId: 'key:cli-mod',
      scopes: ['templates:moderate'],
    };
    const a = await create('evented', { submit: true });
    const approved = await service.transition(principal, a.id, 'approve');
    const r = await create('evented_no', { submit: true });
    await service.transition(principal, r.id, 'reject', 'Реклама в сервисной части');
    expect(recorder.events).toEqual([
      {
        workspaceId: shopWorkspaceId,
        type: 'template.moderated',
        data: { templateId: a.id, name: 'evented', version: 1, status: 'approved', reason: null },
        eventId: `tpl_${a.id}_${approved.seq - 1}`,
      },
      {
        workspaceId: shopWorkspaceId,
        type: 'template.moderated',
        data: {
          templateId: r.id,
          name: 'evented_no',
          version: 1,
          status: 'rejected',
          reason: 'Реклама в сервисной части',
        },
        eventId: expect.stringMatching(new RegExp(`^tpl_${r.id}_\\d+$`)),
      },
    ]);
  });

  it('an unknown or malformed id is 404', async () => {
    await request(stack.app).get('/v1/templates/nope').set(bearer(apiKey)).expect(404);
    await act(moderatorKey, '0123456789abcdef01234567', 'approve').expect(404);
  });

  it('keeps every template route inside its workspace (BOLA)', async () => {
    const victim = await create('victim');
    await expectBolaMatrix(stack.app, {
      attacker: otherFullKey,
      owner: ownerFullKey,
      cases: [
        { method: 'get', path: `/v1/templates/${victim.id}` },
        { method: 'patch', path: `/v1/templates/${victim.id}`, body: { body: 'Изменено #code#' } },
        { method: 'post', path: `/v1/templates/${victim.id}/submit` },
        { method: 'post', path: `/v1/templates/${victim.id}/approve` },
        { method: 'post', path: `/v1/templates/${victim.id}/reject`, body: { reason: 'no' } },
      ],
    });
    const after = await request(stack.app).get(`/v1/templates/${victim.id}`).set(bearer(apiKey)).expect(200);
    expect(after.body).toMatchObject({ status: 'approved', body: 'Изменено #code#' });
    const other = await request(stack.app).get('/v1/templates').set(bearer(otherFullKey)).expect(200);
    expect(other.body.items).toEqual([]);
  });
});
