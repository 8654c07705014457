import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseViberCallback } from '../../../adapters/viber/callback-schema';
import { mapViberCallback, type ViberMappingResult } from '../../../adapters/viber/inbound-mapper';

const fixtureDir = join(__dirname, '../../fixtures/viber');
const raw = (name: string): string => readFileSync(join(fixtureDir, `${name}.json`), 'utf8');

function mapRaw(text: string): ViberMappingResult {
  const payload = parseViberCallback(Buffer.from(text));
  if (!payload) throw new Error('fixture is not a JSON object');
  return mapViberCallback(payload);
}

function eventsOf(text: string) {
  const result = mapRaw(text);
  if (result.outcome !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

const sdkSender = { externalUserId: 'xWxFWBYHceVLi80yULnRkw==', name: 'Idan Harel' };
const sdkToken = '4978563241957515056';

describe('viber inbound mapper', () => {
  it('keeps a message_token above 2^53 exact, where JSON.parse would round it', () => {
    const text = raw('message-text');
    expect(BigInt(sdkToken) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(String((JSON.parse(text) as { message_token: number }).message_token)).not.toBe(sdkToken);
    const [event] = eventsOf(text);
    expect(event).toMatchObject({ eventKey: `message:${sdkToken}`, externalMessageId: sdkToken });
  });

  it('maps a text message (viber-bot SDK fixture)', () => {
    expect(eventsOf(raw('message-text'))).toEqual([
      {
        type: 'inbound-message',
        eventKey: `message:${sdkToken}`,
        externalMessageId: sdkToken,
        from: sdkSender,
        conversationId: sdkSender.externalUserId,
        text: 'Hi',
        attachments: [],
        occurredAt: new Date(1479039750092),
      },
    ]);
  });

  it.each([
    ['message-picture', 'hello', [{ kind: 'photo', fileRef: 'http://viber.com' }]],
    [
      'message-file',
      '',
      [{ kind: 'document', fileRef: 'http://viber.com', fileName: 'test.com', size: 1234 }],
    ],
    ['message-video', '', [{ kind: 'video', fileRef: 'http://viber.com', size: 1234 }]],
    ['message-location', '', [{ kind: 'location', latitude: 1234, longitude: 4312 }]],
    ['message-contact', '', [{ kind: 'contact', name: 'idan', phone: '97245611234' }]],
    ['message-sticker', '', [{ kind: 'sticker', fileRef: 'viber-sticker:5536' }]],
    ['message-url', 'http://viber.com', []],
  ])('maps %s to text and attachments', (fixture, text, attachments) => {
    const [event] = eventsOf(raw(fixture));
    expect(event).toMatchObject({ type: 'inbound-message', from: sdkSender, text });
    expect(event?.type === 'inbound-message' && event.attachments).toEqual(attachments);
  });

  it('reads a reply-button press from the payloads offered in tracking_data', () => {
    const pressed = raw('message-text')
      .replace('"text": "Hi"', '"text": "confirm"')
      .replace('"tracking_data": "{}"', '"tracking_data": "{\\"replyButtons\\":[\\"confirm\\",\\"deny\\"]}"');
    expect(eventsOf(pressed)[0]).toMatchObject({ text: 'confirm', buttonPayload: 'confirm' });
    const typed = pressed.replace('"text": "confirm"', '"text": "maybe"');
    expect(eventsOf(typed)[0]).not.toHaveProperty('buttonPayload');
  });

  it('ignores tracking data that is not ours', () => {
    const other = raw('message-text').replace('"tracking_data": "{}"', '"tracking_data": "Hi"');
    expect(eventsOf(other)[0]).not.toHaveProperty('buttonPayload');
  });

  it.each([
    ['delivered', 'delivered', undefined],
    ['seen', 'read', undefined],
    ['failed', 'undelivered', 'failure description'],
  ])('maps the %s receipt (REST API docs fixture)', (fixture, status, reason) => {
    expect(eventsOf(raw(fixture))).toEqual([
      {
        type: 'status-update',
        eventKey: `${fixture}:4912661846655238145`,
        externalMessageId: '4912661846655238145',
        status,
        ...(reason ? { reason } : {}),
        recipient: { externalUserId: '01234567890A=' },
        occurredAt: new Date(1457764197627),
      },
    ]);
  });

  it('maps subscribed to opt-in and unsubscribed to opt-out', () => {
    expect(eventsOf(raw('subscribed'))).toEqual([
      {
        type: 'opt-in',
        eventKey: 'subscribed:4912661846655238145',
        from: { externalUserId: '01234567890A=', name: 'John McClane' },
        occurredAt: new Date(1457764197627),
      },
    ]);
    expect(eventsOf(raw('unsubscribed'))).toEqual([
      {
        type: 'opt-out',
        eventKey: 'unsubscribed:4912661846655238145',
        from: { externalUserId: '01234567890A=' },
        occurredAt: new Date(1457764197627),
      },
    ]);
  });

  it('accepts the set_webhook check and conversation_started without events', () => {
    expect(mapRaw(raw('webhook'))).toEqual({ outcome: 'events', events: [] });
    expect(mapRaw(raw('conversation-started'))).toEqual({ outcome: 'events', events: [] });
  });

  it('reports unknown events as unsupported, never running a prototype property', () => {
    const body = (event: string) => `{"event":"${event}","timestamp":1,"message_token":5741311803571721087}`;
    expect(mapRaw(body('client_status'))).toEqual({ outcome: 'unsupported', event: 'client_status' });
    expect(mapRaw(body('constructor'))).toEqual({ outcome: 'unsupported', event: 'constructor' });
    const odd = raw('message-text').replace('"type": "text"', '"type": "toString"');
    expect(eventsOf(odd)[0]).toMatchObject({ attachments: [] });
  });

  it('calls a message without sender, or without a token, malformed', () => {
    const noSender =
      '{"event":"message","timestamp":1,"message_token":1,"message":{"type":"text","text":"x"}}';
    expect(mapRaw(noSender).outcome).toBe('malformed');
    expect(mapRaw('{"event":"delivered","timestamp":1,"user_id":"a"}').outcome).toBe('malformed');
    expect(parseViberCallback(Buffer.from('[1,2]'))).toBeUndefined();
    expect(parseViberCallback(Buffer.from('{"__proto__":{"x":1}}'))).toBeUndefined();
  });

  it('keeps coordinates json-bigint hands over as strings', () => {
    const precise = raw('message-location').replace('"lat": 1234', '"lat": 55.75582600000001');
    const [event] = eventsOf(precise);
    expect(event?.type === 'inbound-message' && event.attachments[0]).toEqual({
      kind: 'location',
      latitude: 55.75582600000001,
      longitude: 4312,
    });
  });
});
