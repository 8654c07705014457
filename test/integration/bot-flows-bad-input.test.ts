import type { Express } from 'express';
import request from 'supertest';
import { type BotFlowsLayer, createBotFlowsLayer } from '../../inbox/bot/bot-flows-layer';
import { createApp } from '../../src/http/app';
import { createHttpMetrics } from '../../src/http/http-metrics';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/**
 * /v1/bot-flows under bad input from outside: malformed paths, query parameters and flow files
 * (not YAML, the wrong shape, nested past the parser's stack, several documents) are a 4xx
 * problem+json naming what is wrong, never a 500.
 */
let stack: TestStack;
let layer: BotFlowsLayer;
let app: Express;
let key = '';

const auth = () => ({ Authorization: `Bearer ${key}` });
const upload = (source: string, type = 'application/yaml', query = '') =>
  request(app).post(`/v1/bot-flows${query}`).set(auth()).set('Content-Type', type).send(source);
const get = (path: string) => request(app).get(`/v1/bot-flows${path}`).set(auth());
const rollback = (body: unknown) =>
  request(app)
    .post('/v1/bot-flows/shop/rollback')
    .set(auth())
    .send(body as object);

beforeAll(async () => {
  stack = await createTestStack('bot-flows-bad-input');
  layer = createBotFlowsLayer(stack);
  await layer.start();
  const inboxRoutes = stack.inbox.routes.filter((route) => !route.path.startsWith('/bot-flows'));
  app = createApp({
    ...stack,
    metrics: createHttpMetrics(),
    onCredentialRevoked: async () => {},
    publicUrl: 'http://127.0.0.1:0',
    version: 'test',
    inbox: { ...stack.inbox, routes: [...inboxRoutes, ...layer.routes] },
  });
  key = (await createWorkspace(stack.models, { name: 'Bad input' })).apiKey;
  const shop = 'flow: shop\nfaq:\n  - id: a\n    questions: [hi]\n    answer: hello\n';
  expect((await upload(shop)).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await layer?.stop();
  await stack?.close();
});

const cases: Array<[string, () => request.Test, number, string]> = [
  ['a name not percent-encoded', () => get('/%ZZ'), 400, 'request.validation_failed'],
  ['a name with a dot', () => get('/a.b'), 400, 'request.validation_failed'],
  ['a version not a number', () => get('/shop/versions/abc/source'), 400, 'request.validation_failed'],
  ['a version past 2^53', () => get('/shop/versions/1e20/source'), 400, 'request.validation_failed'],
  ['a report window not ISO', () => get('/shop/report?from=garbage'), 400, 'request.validation_failed'],
  [
    'a report bound twice',
    () => get('/shop/report?to=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z'),
    400,
    'request.validation_failed',
  ],
  [
    'activate neither true nor false',
    () => upload('flow: x\n', 'application/yaml', '?activate=yes'),
    400,
    'request.validation_failed',
  ],
  ['an empty file', () => upload(''), 400, 'request.validation_failed'],
  ['a file that is null', () => upload('null'), 422, 'bot_flow.invalid'],
  ['a JSON list', () => upload('[]', 'application/json'), 422, 'bot_flow.invalid'],
  ['JSON cut off', () => upload('{"flow": ', 'application/json'), 422, 'bot_flow.invalid'],
  ['lists nested 100 000 deep', () => upload('['.repeat(100_000)), 422, 'bot_flow.invalid'],
  ['mappings nested 50 000 deep', () => upload('{a: '.repeat(50_000)), 422, 'bot_flow.invalid'],
  ['two documents', () => upload('flow: a\n---\nflow: b\n'), 422, 'bot_flow.invalid'],
  ['a rollback to a version as text', () => rollback({ version: '1' }), 400, 'request.validation_failed'],
  ['a rollback past 2^53', () => rollback({ version: 1e300 }), 400, 'request.validation_failed'],
];

it.each(cases)('answers %s with a problem, never 500', async (_what, send, status, code) => {
  const res = await send();
  expect({ status: res.status, type: res.headers['content-type'], code: res.body.code }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
    code,
  });
});
