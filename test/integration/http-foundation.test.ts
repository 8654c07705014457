import request from 'supertest';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { createTestStack, type TestStack } from '../helpers/test-stack';

let stack: TestStack;
let apiKey: string;

beforeAll(async () => {
  stack = await createTestStack('http');
  apiKey = (await createWorkspace(stack.models, { name: 'Shop' })).apiKey;
});
afterAll(() => stack.close());

const problemType = /application\/problem\+json/;

describe('health, readiness and metrics', () => {
  it('reports the process up and its dependencies reachable', async () => {
    await request(stack.app).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(stack.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { mongodb: 'ok', redis: 'ok' } });
  });

  it('exposes per-route request counters in Prometheus format', async () => {
    await request(stack.app).get('/v1/workspace').set('Authorization', `Bearer ${apiKey}`).expect(200);
    const metrics = await request(stack.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /vestnik_http_requests_total\{method="GET",route="\/v1\/workspace",status="200"\} \d+/,
    );
    expect(metrics.text).toContain('vestnik_process_cpu_seconds_total');
  });
});

describe('problem+json for every error', () => {
  it('answers an unknown route with 404 route.not_found', async () => {
    const res = await request(stack.app).get('/v1/does-not-exist').expect(404);
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.body).toMatchObject({
      status: 404,
      code: 'route.not_found',
      type: '/docs/errors#route-not-found',
    });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers malformed JSON with 400 request.malformed_json', async () => {
    const res = await request(stack.app)
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c", ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.body.code).toBe('request.malformed_json');
  });

  it('answers a gzip body that is not gzip with 400, never 500', async () => {
    const res = await request(stack.app)
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"email": "a@b.c"}')
      .expect(400);
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.body.code).toBe('request.malformed_json');
  });

  it('answers a path that is not valid percent-encoding with 400, never 500', async () => {
    const res = await request(stack.app)
      .get('/v1/templates/%ZZ')
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(400);
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.body).toMatchObject({
      code: 'request.validation_failed',
      errors: [{ path: 'params', message: 'not valid percent-encoding' }],
    });
  });

  it('lists every invalid field with its path', async () => {
    const res = await request(stack.app)
      .post('/v1/api-keys')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ name: 7, allowIps: ['10.0.0.0/8', 'not-an-ip'], extra: true })
      .expect(400);
    expect(res.body.code).toBe('request.validation_failed');
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['body', 'body.allowIps.1', 'body.name']);
  });

  it('validates query parameters too', async () => {
    const res = await request(stack.app)
      .get('/v1/api-keys?limit=5000')
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(400);
    expect(res.body.errors[0].path).toBe('query.limit');
  });

  it('rejects a body over the limit with 413', async () => {
    const small = await createTestStack('http-limit', { HTTP_BODY_LIMIT: '1kb' });
    try {
      const res = await request(small.app)
        .post('/v1/auth/login')
        .send({ email: 'a@b.cd', password: 'x'.repeat(4096) })
        .expect(413);
      expect(res.body.code).toBe('request.body_too_large');
    } finally {
      await small.close();
    }
  });

  it('rejects a non-JSON body with 415', async () => {
    const res = await request(stack.app)
      .post('/v1/auth/login')
      .set('Content-Type', 'text/plain')
      .send('email=a@b.c')
      .expect(415);
    expect(res.body.code).toBe('request.unsupported_media_type');
  });

  it('keeps a sane caller request id and replaces an unsafe one', async () => {
    const kept = await request(stack.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(stack.app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the OWASP REST security headers on JSON, and helmet defaults on pages', async () => {
    const api = await request(stack.app).get('/v1/workspace').set('Authorization', `Bearer ${apiKey}`);
    expect(api.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
    });
    expect(api.headers['x-powered-by']).toBeUndefined();
    expect(api.headers.etag).toBeUndefined();
    const page = await request(stack.app).get('/docs');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('API reference', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await request(stack.app).get('/v1/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const create = res.body.paths['/v1/api-keys'].post;
    expect(create.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CreateApiKeyRequest',
    );
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/auth/login', '/v1/workspace', '/v1/api-keys/{id}', '/v1/operators']),
    );
    expect(create.responses['401'].content['application/problem+json']).toBeDefined();
  });

  it('serves a readable reference page and the error catalog offline', async () => {
    const page = await request(stack.app).get('/docs').expect(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    await request(stack.app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
    const errors = await request(stack.app).get('/docs/errors').expect(200);
    expect(errors.text).toContain('## auth.key_revoked');
  });
});

describe('logs', () => {
  it('never contain API keys, session tokens or full phone numbers', async () => {
    await request(stack.app)
      .get('/v1/workspace?phone=%2B79161234567')
      .set('Authorization', `Bearer ${apiKey}`);
    stack.logger.info({ to: { phone: '+79161234567' } }, 'sending to +7 916 123-45-67');
    await new Promise((resolve) => setImmediate(resolve));
    const all = stack.logLines.join('\n');
    expect(all).not.toContain(apiKey);
    expect(all).not.toContain('79161234567');
    expect(all).toContain('+7******4567');
  });
});
