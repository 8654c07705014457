import { inboundMessageData, inboundMessageEventId } from '../../../src/webhooks-out/inbound-message-event';

describe('message.inbound data', () => {
  it('names each attachment with the file kept for it, in order', () => {
    const data = inboundMessageData({
      channelId: 'ch1',
      channelType: 'telegram',
      event: {
        type: 'inbound-message',
        eventKey: 'k1',
        externalMessageId: '42',
        from: { externalUserId: 'u1', name: 'Анна' },
        conversationId: 'u1',
        text: 'Фото чека',
        attachments: [
          { kind: 'photo', fileRef: 'f1' },
          { kind: 'location', latitude: 55.75, longitude: 37.62 },
          { kind: 'document', fileRef: 'f2' },
        ],
        occurredAt: new Date('2025-06-01T11:59:58Z'),
      },
      files: [
        { index: 0, fileId: 'a'.repeat(24) },
        { index: 2, fileId: null },
      ],
      receivedAt: new Date('2025-06-01T12:00:00Z'),
    });
    expect(data).toEqual({
      channelId: 'ch1',
      channelType: 'telegram',
      externalMessageId: '42',
      from: { externalUserId: 'u1', name: 'Анна' },
      text: 'Фото чека',
      attachments: [
        { kind: 'photo', fileId: 'a'.repeat(24) },
        { kind: 'location', fileId: null },
        { kind: 'document', fileId: null },
      ],
      receivedAt: '2025-06-01T12:00:00.000Z',
    });
  });

  it('derives the event id from the stored channel event', () => {
    expect(inboundMessageEventId('65f0c0ffee')).toBe('msg_65f0c0ffee');
  });
});
