import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import { trustedWorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { expectBolaMatrix } from '../helpers/bola';
import { createTestStack, type TestStack } from '../helpers/test-stack';

let stack: TestStack;
afterAll(() => stack.close());
beforeAll(async () => {
  stack = await createTestStack('bola');
});

describe('tenant isolation', () => {
  it("gives workspace A's credentials a 404 on every id of workspace B", async () => {
    const a = await createWorkspace(stack.models, { name: 'A' });
    const b = await createWorkspace(stack.models, { name: 'B' });
    const bKey = await createApiKey(stack.models, trustedWorkspaceId(b.workspaceId), {
      name: 'victim',
      scopes: ['workspace:read'],
    });
    const bOperator = await stack.models.Operator.findOne({ workspaceId: b.workspaceId }).lean();
    const bOperatorId = String(bOperator?._id);
    await expectBolaMatrix(stack.app, {
      attacker: a.apiKey,
      owner: b.apiKey,
      cases: [
        { method: 'get', path: `/v1/api-keys/${bKey.id}` },
        { method: 'get', path: `/v1/operators/${bOperatorId}` },
        { method: 'delete', path: `/v1/api-keys/${bKey.id}` },
      ],
    });
  });

  it('lists only its own workspace', async () => {
    const a = await createWorkspace(stack.models, { name: 'Lists A' });
    const b = await createWorkspace(stack.models, { name: 'Lists B' });
    const keys = await request(stack.app)
      .get('/v1/api-keys')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .expect(200);
    const operators = await request(stack.app)
      .get('/v1/operators')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .expect(200);
    expect(keys.body.items).toHaveLength(1);
    expect(operators.body.items.map((o: { email: string }) => o.email)).toEqual([a.admin.email]);
    expect(JSON.stringify([keys.body, operators.body])).not.toContain(b.admin.email);
  });

  it('answers a malformed id like a foreign one', async () => {
    const a = await createWorkspace(stack.models, { name: 'Malformed' });
    const res = await request(stack.app)
      .get('/v1/api-keys/not-an-id')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .expect(404);
    expect(res.body.code).toBe('resource.not_found');
  });
});
