import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChannelAdapter, NormalizedEvent, WebhookRequest } from '../../../adapters/contract';
import { whatsappAdapter } from '../../../adapters/whatsapp';

const appSecret = 'test-app-secret';
const fixtureDir = path.join(__dirname, '../../fixtures/whatsapp');
const fixture = (name: string): Buffer => readFileSync(path.join(fixtureDir, name));

function signed(rawBody: Buffer): WebhookRequest {
  const signature = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
  return {
    method: 'POST',
    headers: { 'x-hub-signature-256': signature },
    query: {},
    rawBody,
    remoteAddress: '127.0.0.1',
  };
}

function adapterFor(phoneNumberId = '106540352242922'): ChannelAdapter {
  return whatsappAdapter.create(
    whatsappAdapter.configSchema.parse({
      phoneNumberId,
      wabaId: '419561257915477',
      accessToken: 'EAAGtest',
      appSecret,
      verifyToken: 'verify-token-123',
    }),
    {
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      webhook: { url: 'https://vestnik.example/webhooks/wa', key: 'channel-key-123' },
      emit: async () => {},
      requestTimeoutMs: 1_000,
    },
  );
}

async function eventsOfBody(rawBody: Buffer, phoneNumberId?: string): Promise<NormalizedEvent[]> {
  const result = await adapterFor(phoneNumberId).handleWebhook(signed(rawBody));
  if (result.outcome !== 'accepted') throw new Error(`rejected: ${result.reason}`);
  expect(result.response).toEqual({ status: 200, contentType: 'text/plain', body: 'EVENT_RECEIVED' });
  return result.events;
}

const eventsOf = (name: string, phoneNumberId?: string): Promise<NormalizedEvent[]> =>
  eventsOfBody(fixture(name), phoneNumberId);

/** pywa's recorded payloads (tests/data/updates in github.com/david-lev/pywa) are for this number. */
const pywaPhoneNumberId = '1122334455667';

const sheena = { externalUserId: '16505551234', name: 'Sheena Nelson', phone: '+16505551234' };

describe('whatsapp inbound mapper (Meta payloads → normalized events)', () => {
  it('maps a text message, keyed by its wamid', async () => {
    expect(await eventsOf('text-message.json')).toEqual([
      {
        type: 'inbound-message',
        eventKey: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        externalMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        from: sheena,
        conversationId: '16505551234',
        text: 'Does it come in another color?',
        attachments: [],
        occurredAt: new Date(1749416383 * 1000),
      },
    ]);
  });

  it('takes context.id as the message replied to', async () => {
    const [event] = await eventsOf('text-message-with-context.json');
    expect(event).toMatchObject({
      type: 'inbound-message',
      text: 'Is this still available?',
      replyToExternalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA',
    });
  });

  it('maps an image to a photo attachment referenced by media id, caption as text', async () => {
    const [event] = await eventsOf('image-message.json');
    expect(event).toMatchObject({
      type: 'inbound-message',
      text: 'Taj Mahal',
      attachments: [{ kind: 'photo', fileRef: '1003383421387256', mimeType: 'image/jpeg' }],
    });
  });

  it('maps a voice note to a voice attachment', async () => {
    const [event] = await eventsOf('audio-voice-message.json', pywaPhoneNumberId);
    expect(event).toMatchObject({
      type: 'inbound-message',
      externalMessageId: 'wamid.xyzxyz',
      from: { externalUserId: '972987654321', name: 'Test Name', phone: '+972987654321' },
      text: '',
      attachments: [{ kind: 'voice', fileRef: '1234567890987654321', mimeType: 'audio/ogg; codecs=opus' }],
      occurredAt: new Date(1697043473 * 1000),
    });
  });

  it('maps a location and shared contacts', async () => {
    const [location] = await eventsOf('location-message.json');
    expect(location).toMatchObject({
      attachments: [
        { kind: 'location', latitude: 37.44221496582, longitude: -122.16165924072, title: 'Philz Coffee' },
      ],
    });
    const [contacts] = await eventsOf('contacts-message.json');
    expect(contacts).toMatchObject({
      attachments: [{ kind: 'contact', name: 'Lucía Gómez', phone: '+1 (983) 555-2319' }],
    });
  });

  it('maps reply-button and list replies to button presses carrying the reply id', async () => {
    expect(await eventsOf('interactive-button-reply.json')).toEqual([
      {
        type: 'button-press',
        eventKey: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=',
        from: sheena,
        conversationId: '16505551234',
        payload: 'cancel-button',
        externalMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA',
        occurredAt: new Date(1750025136 * 1000),
      },
    ]);
    const [list] = await eventsOf('interactive-list-reply.json');
    expect(list).toMatchObject({ type: 'button-press', payload: 'priority_express' });
  });

  it('maps a template quick-reply (type button) to a button press with its payload', async () => {
    const [event] = await eventsOf('button-message.json');
    expect(event).toMatchObject({
      type: 'button-press',
      payload: 'Unsubscribe',
      externalMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA',
    });
  });

  describe('status notifications (pywa recordings: one notification per status)', () => {
    type Notification = { entry: [{ changes: [{ value: { statuses: unknown[] } }] }] };
    const recorded = JSON.parse(fixture('statuses-sent-delivered-read.json').toString('utf8')) as Record<
      'sent' | 'delivered' | 'read',
      Notification
    >;
    const body = (notification: Notification): Buffer => Buffer.from(JSON.stringify(notification));

    it.each([
      ['sent', 1698266945],
      ['delivered', 1698266945],
      ['read', 1689380458],
    ] as const)('maps a %s status, keyed <wamid>:<status>', async (status, timestamp) => {
      expect(await eventsOfBody(body(recorded[status]), pywaPhoneNumberId)).toEqual([
        expect.objectContaining({
          type: 'status-update',
          eventKey: `wamid.xyzxyz:${status}`,
          externalMessageId: 'wamid.xyzxyz',
          status,
          recipient: expect.objectContaining({ externalUserId: '972987654321' }),
          occurredAt: new Date(timestamp * 1000),
        }),
      ]);
    });

    it('maps every status of one notification when Meta batches them', async () => {
      // The three recorded statuses in one notification's statuses[] (the array the webhook schema allows).
      const batched = structuredClone(recorded.sent);
      batched.entry[0].changes[0].value.statuses = (['sent', 'delivered', 'read'] as const).flatMap(
        (status) => recorded[status].entry[0].changes[0].value.statuses,
      );
      const events = await eventsOfBody(body(batched), pywaPhoneNumberId);
      expect(
        events.map((event) => (event.type === 'status-update' ? [event.eventKey, event.status] : null)),
      ).toEqual([
        ['wamid.xyzxyz:sent', 'sent'],
        ['wamid.xyzxyz:delivered', 'delivered'],
        ['wamid.xyzxyz:read', 'read'],
      ]);
    });
  });

  it('maps a failed status to undelivered with the 131047 reason', async () => {
    const [event] = await eventsOf('status-failed-131047.json');
    expect(event).toMatchObject({
      type: 'status-update',
      status: 'undelivered',
      reason:
        '131047 Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    });
  });

  it('accepts but maps nothing for reactions and unsupported messages', async () => {
    expect(await eventsOf('reaction-message.json')).toEqual([]);
    expect(await eventsOf('unsupported-message.json')).toEqual([]);
  });

  it('ignores changes for another phone number of the same WABA', async () => {
    const result = await adapterFor('999999999999999').handleWebhook(signed(fixture('text-message.json')));
    expect(result).toMatchObject({ outcome: 'accepted', events: [] });
  });

  it('rejects missing and wrong signatures with 401 before parsing', async () => {
    const rawBody = fixture('text-message.json');
    const adapter = adapterFor();
    expect(await adapter.handleWebhook({ ...signed(rawBody), headers: {} })).toMatchObject({
      outcome: 'rejected',
      status: 401,
    });
    const forged = { ...signed(rawBody), headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } };
    expect(await adapter.handleWebhook(forged)).toMatchObject({ outcome: 'rejected', status: 401 });
  });

  it('answers 400 to a signed body that is not a WhatsApp notification', async () => {
    const adapter = adapterFor();
    for (const body of [
      'not json',
      '{"object":"page","entry":[]}',
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{}}]}]}',
    ]) {
      expect(await adapter.handleWebhook(signed(Buffer.from(body)))).toMatchObject({
        outcome: 'rejected',
        status: 400,
      });
    }
  });

  it('answers the verification challenge only for the right verify token', async () => {
    const adapter = adapterFor();
    const query = {
      'hub.mode': 'subscribe',
      'hub.challenge': '1158201444',
      'hub.verify_token': 'verify-token-123',
    };
    const get = (q: Record<string, string>): WebhookRequest => ({
      method: 'GET',
      headers: {},
      query: q,
      rawBody: Buffer.alloc(0),
      remoteAddress: '127.0.0.1',
    });
    expect(await adapter.handleWebhook(get(query))).toEqual({
      outcome: 'accepted',
      events: [],
      response: { status: 200, contentType: 'text/plain', body: '1158201444' },
    });
    expect(await adapter.handleWebhook(get({ ...query, 'hub.verify_token': 'wrong' }))).toMatchObject({
      status: 403,
    });
    expect(await adapter.handleWebhook(get({ ...query, 'hub.mode': 'unsubscribe' }))).toMatchObject({
      status: 403,
    });
  });
});
