import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapStatusCallback } from '../../../adapters/vk-notify/inbound-mapper';

const fixture = (name: string): { raw: Buffer; payload: Record<string, unknown> } => {
  const raw = readFileSync(path.join(__dirname, '../../fixtures/vk-notify', name));
  const { _source, ...payload } = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  expect(typeof _source).toBe('string');
  return { raw, payload };
};

describe('notify gateway status callbacks → status-update events', () => {
  it.each([
    ['status-sent.json', 'sent'],
    ['status-delivered.json', 'delivered'],
    ['status-read.json', 'read'],
  ])('%s maps to %s, keyed by gateway id and status', (file, status) => {
    const { payload } = fixture(file);
    expect(mapStatusCallback(payload)).toEqual({
      kind: 'event',
      event: {
        type: 'status-update',
        eventKey: `5f0c2a9e-41d7-4b1e-9a53-0c6e8d2f7b14:${status}`,
        externalMessageId: '5f0c2a9e-41d7-4b1e-9a53-0c6e8d2f7b14',
        status,
        occurredAt: new Date(String(payload.timestamp)),
      },
    });
  });

  it('keeps the gateway reason of an undelivered notification', () => {
    expect(mapStatusCallback(fixture('status-undelivered.json').payload)).toMatchObject({
      kind: 'event',
      event: {
        eventKey: 'b7e19d40-2c55-4f0a-8e61-93a4d5c2f018:undelivered',
        status: 'undelivered',
        reason: 'inactive',
      },
    });
  });

  it('maps an expired notification with its reason', () => {
    expect(mapStatusCallback(fixture('status-expired.json').payload)).toMatchObject({
      kind: 'event',
      event: { status: 'expired', reason: 'ttl_expired', occurredAt: new Date('2025-03-14T10:26:53.000Z') },
    });
  });

  it('reports an unknown status as explicitly unsupported', () => {
    expect(mapStatusCallback(fixture('status-unknown.json').payload)).toEqual({
      kind: 'unsupported',
      status: 'clicked',
    });
  });

  it('gives different statuses of one notification different keys, and equal copies equal keys', () => {
    const keys = ['status-sent.json', 'status-delivered.json', 'status-read.json', 'status-read.json'].map(
      (file) => {
        const mapped = mapStatusCallback(fixture(file).payload);
        return mapped.kind === 'event' ? mapped.event.eventKey : null;
      },
    );
    expect(new Set(keys).size).toBe(3);
  });

  it.each([
    ['no id', { status: 'sent', timestamp: '2025-03-14T09:26:53.000Z' }, 'id'],
    ['no status', { id: 'x', timestamp: '2025-03-14T09:26:53.000Z' }, 'status'],
    ['a timestamp that is not ISO 8601', { id: 'x', status: 'sent', timestamp: 'yesterday' }, 'timestamp'],
    ['an array', [], '(body)'],
  ])('refuses a body with %s as malformed', (_what, payload, field) => {
    const mapped = mapStatusCallback(payload);
    expect(mapped.kind).toBe('malformed');
    if (mapped.kind === 'malformed') expect(mapped.detail).toContain(field);
  });
});
