import { Types } from 'mongoose';
import request from 'supertest';
import {
  idempotencyKeyRetentionMs,
  purgeExpiredIdempotencyKeys,
  requestFingerprint,
} from '../../src/http/idempotency';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/** `Idempotency-Key` on an opted-in POST route (POST /v1/templates), over HTTP with FerretDB. */
let stack: TestStack;
let keyA: string;
let keyB: string;
let workspaceA: string;

const draft = (name: string, extra: object = {}) => ({
  name,
  body: 'Код #code#',
  category: 'otp',
  channels: ['sms'],
  ...extra,
});

const post = (apiKey: string, idempotencyKey: string | undefined, body: object) => {
  const req = request(stack.app).post('/v1/templates').set('Authorization', `Bearer ${apiKey}`);
  if (idempotencyKey !== undefined) req.set('Idempotency-Key', idempotencyKey);
  return req.send(body);
};

const countTemplates = (name: string) => stack.models.Template.countDocuments({ name }).exec();

beforeAll(async () => {
  stack = await createTestStack('idempotency');
  const a = await createWorkspace(stack.models, { name: 'A' });
  keyA = a.apiKey;
  workspaceA = a.workspaceId;
  keyB = (await createWorkspace(stack.models, { name: 'B' })).apiKey;
});
afterAll(() => stack.close());

describe('Idempotency-Key', () => {
  it('answers a repeat of the same request with the first response, creating one resource', async () => {
    const first = await post(keyA, 'k-same', draft('same')).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const reordered = { channels: ['sms'], category: 'otp', body: 'Код #code#', name: 'same' };
    const again = await post(keyA, 'k-same', reordered).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(again.text).toBe(first.text);
    expect(await countTemplates('same')).toBe(1);
  });

  it('refuses the same key with a different body: 422 naming the key', async () => {
    await post(keyA, 'k-reused', draft('reused')).expect(201);
    const res = await post(keyA, 'k-reused', draft('reused_other')).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('idempotency.key_reused');
    expect(res.body.detail).toContain('"k-reused"');
    expect(await countTemplates('reused_other')).toBe(0);
  });

  it('lets exactly one of 10 concurrent first requests run', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(keyA, 'k-race', draft('race'))));
    const fresh = answers.filter((r) => r.status === 201 && !r.headers['idempotent-replayed']);
    expect(fresh).toHaveLength(1);
    for (const res of answers) {
      if (res === fresh[0]) continue;
      if (res.status === 409) {
        expect(res.body.code).toBe('idempotency.in_flight');
        expect(res.headers['retry-after']).toBe('1');
      } else {
        expect(res.status).toBe(201);
        expect(res.text).toBe(fresh[0]?.text);
      }
    }
    expect(await countTemplates('race')).toBe(1);
    const later = await post(keyA, 'k-race', draft('race')).expect(201);
    expect(later.text).toBe(fresh[0]?.text);
  });

  it('scopes keys per workspace', async () => {
    const inA = await post(keyA, 'k-shared', draft('shared')).expect(201);
    const inB = await post(keyB, 'k-shared', draft('shared')).expect(201);
    expect(inB.headers['idempotent-replayed']).toBeUndefined();
    expect(inB.body.id).not.toBe(inA.body.id);
    expect(await countTemplates('shared')).toBe(2);
    // A different body under the same key in B is B's own business, not a reuse of A's key.
    await post(keyA, 'k-own', draft('a_side')).expect(201);
    await post(keyB, 'k-own', draft('b_side')).expect(201);
  });

  it('replays a validation failure exactly', async () => {
    const invalid = { name: 'invalid', category: 'otp' };
    const first = await post(keyA, 'k-invalid', invalid).expect(400);
    expect(first.body.code).toBe('request.validation_failed');
    const again = await post(keyA, 'k-invalid', invalid).expect(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.text).toBe(first.text);
  });

  it('does not store a conflict (409): the key is released for a retry', async () => {
    await post(keyA, undefined, draft('taken')).expect(201);
    const res = await post(keyA, 'k-conflict', draft('taken')).expect(409);
    expect(res.body.code).toBe('resource.conflict');
    expect(await stack.models.IdempotencyKey.countDocuments({ key: 'k-conflict' }).exec()).toBe(0);
  });

  it('answers 409 while a claim is in flight, and takes over a stale one', async () => {
    const body = draft('stale');
    const claim = (lockedUntil: Date) => ({
      workspaceId: new Types.ObjectId(workspaceA),
      key: 'k-stale',
      fingerprint: requestFingerprint('POST', '/v1/templates', body),
      state: 'in-flight' as const,
      lockedUntil,
      createdAt: new Date(),
    });
    const live = await stack.models.IdempotencyKey.create(claim(new Date(Date.now() + 60_000)));
    const busy = await post(keyA, 'k-stale', body).expect(409);
    expect(busy.body.code).toBe('idempotency.in_flight');
    expect(busy.headers['retry-after']).toBe('1');
    await stack.models.IdempotencyKey.deleteOne({ _id: live._id }).exec();

    await stack.models.IdempotencyKey.create(claim(new Date(Date.now() - 1000)));
    const taken = await post(keyA, 'k-stale', body).expect(201);
    expect(taken.headers['idempotent-replayed']).toBeUndefined();
    const replay = await post(keyA, 'k-stale', body).expect(201);
    expect(replay.text).toBe(taken.text);
    expect(await countTemplates('stale')).toBe(1);
  });

  it.each([
    ['too long', 'x'.repeat(256)],
    ['empty', ''],
    ['not ASCII', 'clé'],
  ])('refuses a %s key with 400', async (_label, value) => {
    const res = await post(keyA, value, draft('bad_header')).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('request.validation_failed');
    expect(res.body.errors[0].path).toBe('headers.Idempotency-Key');
    expect(await countTemplates('bad_header')).toBe(0);
  });

  it('runs as before without the header', async () => {
    await post(keyA, undefined, draft('plain')).expect(201);
    await post(keyA, undefined, draft('plain')).expect(409);
  });

  it('is documented in OpenAPI for routes that opt in', async () => {
    const { body } = await request(stack.app).get('/v1/openapi.json').expect(200);
    const create = body.paths['/v1/templates'].post;
    expect(create.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]),
    );
    expect(create.responses['422'].description).toContain('idempotency.key_reused');
    expect(create.responses['409'].description).toContain('idempotency.in_flight');
    const list = body.paths['/v1/templates'].get;
    expect(list.parameters ?? []).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key' })]),
    );
  });

  it('keeps keys 24 h, then housekeeping purges them', async () => {
    const base = {
      workspaceId: new Types.ObjectId(workspaceA),
      fingerprint: 'f',
      state: 'completed' as const,
    };
    const now = Date.now();
    await stack.models.IdempotencyKey.create([
      {
        ...base,
        key: 'k-old',
        lockedUntil: new Date(),
        createdAt: new Date(now - idempotencyKeyRetentionMs - 1000),
      },
      { ...base, key: 'k-day', lockedUntil: new Date(), createdAt: new Date(now - 24 * 60 * 60_000) },
    ]);
    expect(await purgeExpiredIdempotencyKeys(stack.models, new Date(now))).toBe(1);
    expect(await stack.models.IdempotencyKey.countDocuments({ key: 'k-old' }).exec()).toBe(0);
    expect(await stack.models.IdempotencyKey.countDocuments({ key: 'k-day' }).exec()).toBe(1);
  });
});
