import { readFileSync } from 'node:fs';
import path from 'node:path';
import { callbackEnvelope } from '../../../adapters/vk/callback-schema';
import { mapCallback } from '../../../adapters/vk/inbound-mapper';

const fixture = (name: string): Record<string, unknown> => {
  const { _source: _omit, ...body } = JSON.parse(
    readFileSync(path.join(__dirname, '../../fixtures/vk', name), 'utf8'),
  ) as Record<string, unknown>;
  return body;
};

const receivedAt = new Date('2026-01-01T00:00:00Z');

function map(name: string) {
  const envelope = callbackEnvelope.parse(fixture(name));
  return mapCallback(envelope, envelope.event_id ?? 'no-key', receivedAt);
}

describe('vk inbound mapper', () => {
  it('maps message_new with photos to an inbound message with the largest size of each photo', () => {
    expect(map('message-new-photos.json')).toEqual({
      kind: 'events',
      events: [
        {
          type: 'inbound-message',
          eventKey: 'c1b1934f9232fd3221bdfd020a3f1ca78ced263f',
          externalMessageId: '1709',
          from: { externalUserId: '418618' },
          conversationId: '259166248',
          text: '',
          attachments: [
            expect.objectContaining({
              kind: 'photo',
              mimeType: 'image/jpeg',
              fileRef: expect.stringContaining('size=266x109'),
            }),
            expect.objectContaining({ kind: 'photo', fileRef: expect.stringContaining('size=266x109') }),
          ],
          occurredAt: new Date(1630235567 * 1000),
        },
      ],
    });
  });

  it('names chat messages (id 0) by peer and conversation message id, and keeps a text-button payload', () => {
    const mapped = map('message-new-chat-payload.json');
    if (mapped.kind !== 'events') throw new Error(mapped.kind);
    expect(mapped.events[0]).toMatchObject({
      type: 'inbound-message',
      externalMessageId: '2000000001_30098',
      conversationId: '2000000001',
      from: { externalUserId: '259166248' },
      text: 'uwuwu',
      buttonPayload: '{"foo":"bar"}',
    });
  });

  it('maps message_event to a button press whose key carries the id sendMessageEventAnswer needs', () => {
    const mapped = map('message-event.json');
    if (mapped.kind !== 'events') throw new Error(mapped.kind);
    const [press] = mapped.events;
    expect(press).toEqual({
      type: 'button-press',
      eventKey: 'a5aa88e27d13a7a5ce66464732c55fe8e93faaf9',
      answerToken: '19d28efbff4b',
      from: { externalUserId: '418618' },
      conversationId: '2000000003',
      // VK delivers a callback button's payload as a JSON object; it becomes its JSON text.
      payload: '{"settings":"anti_spam"}',
      occurredAt: receivedAt,
    });
  });

  it('maps message_read to a read status for read_message_id', () => {
    expect(map('message-read.json')).toEqual({
      kind: 'events',
      events: [
        {
          type: 'status-update',
          eventKey: '1f2e3d4c5b6a79880716253443526170819a0b1c',
          externalMessageId: '1712',
          status: 'read',
          recipient: { externalUserId: '418618' },
          occurredAt: receivedAt,
        },
      ],
    });
  });

  it('maps message_allow and message_deny to opt-in and opt-out', () => {
    expect(map('message-allow.json')).toMatchObject({
      events: [
        {
          type: 'opt-in',
          eventKey: '235695438e43d0765f36efd3355a96ae14556bff',
          from: { externalUserId: '578716413' },
        },
      ],
    });
    expect(map('message-deny.json')).toMatchObject({
      events: [
        {
          type: 'opt-out',
          eventKey: '08fd9e8f52a43c6966f7c117d5e402ab39cc4017',
          from: { externalUserId: '578716413' },
        },
      ],
    });
  });

  it('reports unknown types as unsupported (even names on Object.prototype) and bad objects as malformed', () => {
    const base = { group_id: 1, event_id: 'e1' };
    expect(mapCallback(callbackEnvelope.parse({ ...base, type: 'wall_post_new', object: {} }), 'k')).toEqual({
      kind: 'unsupported',
      type: 'wall_post_new',
    });
    expect(mapCallback(callbackEnvelope.parse({ ...base, type: 'constructor' }), 'k').kind).toBe(
      'unsupported',
    );
    expect(mapCallback(callbackEnvelope.parse({ ...base, type: 'message_new', object: {} }), 'k').kind).toBe(
      'malformed',
    );
  });

  it('quotes forwarded messages after the text and keeps their attachments', () => {
    const envelope = callbackEnvelope.parse(fixture('message-new-photos.json'));
    const object = envelope.object as { message: Record<string, unknown> };
    const photos = object.message.attachments;
    object.message.text = 'Вот что пришло';
    object.message.attachments = [];
    object.message.fwd_messages = [{ text: 'строка 1\nстрока 2', attachments: photos, from_id: 1 }];
    const mapped = mapCallback(envelope, 'k');
    if (mapped.kind !== 'events') throw new Error(mapped.kind);
    expect(mapped.events[0]).toMatchObject({
      text: 'Вот что пришло\n\n> строка 1\n> строка 2',
      attachments: [{ kind: 'photo' }, { kind: 'photo' }],
    });
  });
});
