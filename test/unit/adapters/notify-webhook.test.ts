import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChannelAdapter, WebhookRequest } from '../../../adapters/contract';
import { okNotifyAdapter } from '../../../adapters/ok-notify';
import { hmacSha256Hex } from '../../../adapters/shared/signatures';
import { vkNotifyAdapter } from '../../../adapters/vk-notify';

const secret = 'cb-secret-0123456789abcdef';
const config = vkNotifyAdapter.configSchema.parse({
  apiKey: 'ntf_test',
  callbackSecret: secret,
  apiBaseUrl: 'http://127.0.0.1:9/notify',
});
const context = {
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  webhook: { url: 'http://127.0.0.1:9/webhooks/c1', key: 'k' },
  emit: async () => {},
  requestTimeoutMs: 500,
};
const rawFixture = (name: string): Buffer =>
  readFileSync(path.join(__dirname, '../../fixtures/vk-notify', name));
const callback = (rawBody: Buffer, headers: Record<string, string | undefined>): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  query: {},
  rawBody,
  remoteAddress: '127.0.0.1',
});
const signed = (rawBody: Buffer): WebhookRequest =>
  callback(rawBody, { 'x-signature': hmacSha256Hex(secret, rawBody) });

describe.each([
  ['vk-notify', vkNotifyAdapter.create(config, context)],
  ['ok-notify', okNotifyAdapter.create(config, context)],
] as Array<[string, ChannelAdapter]>)('%s status callback webhook', (_kind, adapter) => {
  it('accepts a signed callback, answers {"ok":true} and yields one status-update', async () => {
    const result = await adapter.handleWebhook(signed(rawFixture('status-delivered.json')));
    expect(result).toMatchObject({
      outcome: 'accepted',
      response: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
      events: [{ type: 'status-update', status: 'delivered' }],
    });
  });

  it('verifies the exact bytes: one changed byte is rejected with 401', async () => {
    const raw = rawFixture('status-delivered.json');
    const request = signed(raw);
    const altered = Buffer.from(raw.toString('utf8').replace('"delivered"', '"read"     '));
    expect(altered.length).toBe(raw.length);
    expect(await adapter.handleWebhook({ ...request, rawBody: altered })).toMatchObject({
      outcome: 'rejected',
      status: 401,
    });
  });

  it.each([
    ['no signature header', undefined],
    ['an empty signature', ''],
    [
      'a signature made with another secret',
      hmacSha256Hex('another-secret-0123456', rawFixture('status-read.json')),
    ],
    ['an upper-case hex signature of the right length but wrong value', 'A'.repeat(64)],
    ['a truncated signature', hmacSha256Hex(secret, rawFixture('status-read.json')).slice(0, 40)],
  ])('rejects %s with 401', async (_what, signature) => {
    const result = await adapter.handleWebhook(
      callback(rawFixture('status-read.json'), { 'x-signature': signature }),
    );
    expect(result).toMatchObject({ outcome: 'rejected', status: 401 });
  });

  it('rejects a signed body that is not JSON with 400', async () => {
    const result = await adapter.handleWebhook(signed(Buffer.from('status=delivered')));
    expect(result).toMatchObject({ outcome: 'rejected', status: 400 });
  });

  it('rejects a signed JSON body that is not a status callback with 400', async () => {
    const result = await adapter.handleWebhook(signed(Buffer.from('{"event":"template_status"}')));
    expect(result).toMatchObject({ outcome: 'rejected', status: 400 });
  });

  it('acknowledges a signed callback with an unknown status, storing nothing', async () => {
    const result = await adapter.handleWebhook(signed(rawFixture('status-unknown.json')));
    expect(result).toMatchObject({ outcome: 'accepted', events: [], response: { body: '{"ok":true}' } });
  });
});

describe('notify adapter definitions', () => {
  it('declare secrets, template-only capabilities and config defaults', () => {
    expect(vkNotifyAdapter.secretFields).toEqual(['apiKey', 'callbackSecret']);
    expect(config).toMatchObject({ defaultPolicy: 'any', defaultTtlSeconds: 3600 });
    expect(vkNotifyAdapter.capabilities(config)).toMatchObject({
      text: { maxLength: 2048, maxBytes: 2048 },
      buttons: null,
      initiation: 'by-phone',
      inbound: false,
      platformTemplates: true,
      withdraw: false,
    });
    expect(okNotifyAdapter.kind).toBe('ok-notify');
  });

  it.each([
    ['a TTL under 15 s', { defaultTtlSeconds: 10 }],
    ['a TTL over 24 h', { defaultTtlSeconds: 86_401 }],
    ['an unknown policy', { defaultPolicy: 'mobile_only' }],
    ['a short callback secret', { callbackSecret: 'short' }],
    ['a non-http base URL', { apiBaseUrl: 'ftp://gateway.example/notify' }],
    ['an unknown field', { sender: 'Shop' }],
  ])('refuse a config with %s', (_what, patch) => {
    const result = vkNotifyAdapter.configSchema.safeParse({
      apiKey: 'k',
      callbackSecret: secret,
      apiBaseUrl: 'https://gateway.example/notify',
      ...patch,
    });
    expect(result.success).toBe(false);
  });
});
