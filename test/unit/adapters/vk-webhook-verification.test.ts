import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WebhookRequest } from '../../../adapters/contract';
import { vkAdapter } from '../../../adapters/vk';

const key = 'channel-key-0123456789';
const adapter = vkAdapter.create(
  {
    groupId: 200982061,
    accessToken: 'vk1.a.token',
    secretKey: 'fixture-secret',
    confirmationCode: '693d0ba9',
    apiBaseUrl: 'http://127.0.0.1:9/method',
  },
  {
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    webhook: { url: 'https://vestnik.example/webhooks/ch1', key },
    emit: async () => {},
    requestTimeoutMs: 1_000,
  },
);

const body = (name: string, patch: Record<string, unknown> = {}): Buffer => {
  const { _source: _omit, ...json } = JSON.parse(
    readFileSync(path.join(__dirname, '../../fixtures/vk', name), 'utf8'),
  ) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...json, ...patch }));
};

const request = (rawBody: Buffer, query: Record<string, string> = { key }): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query,
  rawBody,
  remoteAddress: '95.142.192.1',
});

describe('vk webhook verification', () => {
  it('answers confirmation with the configured string, as text/plain', async () => {
    expect(await adapter.handleWebhook(request(body('confirmation.json')))).toEqual({
      outcome: 'accepted',
      events: [],
      response: { status: 200, contentType: 'text/plain', body: '693d0ba9' },
    });
  });

  it('refuses confirmation for another community', async () => {
    const result = await adapter.handleWebhook(request(body('confirmation.json', { group_id: 1 })));
    expect(result).toMatchObject({ outcome: 'rejected', status: 403 });
  });

  it('accepts an event with the right secret and answers ok', async () => {
    const result = await adapter.handleWebhook(request(body('message-read.json')));
    expect(result).toMatchObject({
      outcome: 'accepted',
      response: { body: 'ok', contentType: 'text/plain' },
    });
  });

  it.each([
    ['a wrong secret', body('message-read.json', { secret: 'fixture-secreT' }), { key }],
    ['no secret', body('message-read.json', { secret: undefined }), { key }],
    ['no URL key', body('message-read.json'), {}],
    ['a wrong URL key', body('message-read.json'), { key: `${key}x` }],
  ])('rejects %s with 403', async (_what, raw, query) => {
    expect(await adapter.handleWebhook(request(raw, query))).toMatchObject({
      outcome: 'rejected',
      status: 403,
    });
  });

  it.each([
    ['not JSON', Buffer.from('<xml/>')],
    ['JSON without type', Buffer.from('{"group_id":200982061}')],
    ['a message_new without a message', body('message-read.json', { type: 'message_new' })],
  ])('rejects %s with 400', async (_what, raw) => {
    expect(await adapter.handleWebhook(request(raw))).toMatchObject({ outcome: 'rejected', status: 400 });
  });

  it('acknowledges event types it does not map with ok and no events', async () => {
    const result = await adapter.handleWebhook(request(body('message-read.json', { type: 'group_join' })));
    expect(result).toEqual({
      outcome: 'accepted',
      events: [],
      response: { status: 200, contentType: 'text/plain', body: 'ok' },
    });
  });
});
