import { mapUpdate, type UpdateMapping } from '../../../adapters/telegram/inbound-mapper';
import callbackInline from '../../fixtures/telegram/callback-query-inline.json';
import callbackMessage from '../../fixtures/telegram/callback-query-message.json';
import editedMessage from '../../fixtures/telegram/edited-message.json';
import inlineQuery from '../../fixtures/telegram/inline-query.json';
import messageAudio from '../../fixtures/telegram/message-audio.json';
import messageContact from '../../fixtures/telegram/message-contact.json';
import messageDocument from '../../fixtures/telegram/message-document.json';
import messageLocation from '../../fixtures/telegram/message-location.json';
import messagePhoto from '../../fixtures/telegram/message-photo.json';
import messageReply from '../../fixtures/telegram/message-reply.json';
import messageSticker from '../../fixtures/telegram/message-sticker.json';
import messageText from '../../fixtures/telegram/message-text.json';
import messageVideo from '../../fixtures/telegram/message-video.json';
import messageVoice from '../../fixtures/telegram/message-voice.json';
import memberKicked from '../../fixtures/telegram/my-chat-member-kicked.json';
import memberRestored from '../../fixtures/telegram/my-chat-member-member.json';

/** A fixture as Telegram sends it: without our `_source` note. */
const asUpdate = ({ _source, ...update }: { _source: string } & Record<string, unknown>): unknown => update;

function eventsOf(fixture: { _source: string } & Record<string, unknown>) {
  const mapping: UpdateMapping = mapUpdate(asUpdate(fixture));
  if (mapping.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(mapping)}`);
  return mapping.events;
}

const testUser = { externalUserId: '1111111', name: 'Test Firstname Test Lastname' };

describe('telegram inbound mapper: messages', () => {
  it('maps a text message with a key from chat and message id', () => {
    expect(eventsOf(messageText)).toEqual([
      {
        type: 'inbound-message',
        eventKey: 'msg:1111111:1365',
        externalMessageId: '1111111:1365',
        from: testUser,
        conversationId: '1111111',
        text: '/start',
        attachments: [],
        occurredAt: new Date(1441645532 * 1000),
      },
    ]);
  });

  it('links a reply to the quoted message in the same chat', () => {
    expect(eventsOf(messageReply)[0]).toMatchObject({ replyToExternalId: '1111111:1334' });
  });

  it('maps an edit to a new event carrying the original message id', () => {
    expect(eventsOf(editedMessage)[0]).toMatchObject({
      type: 'inbound-message',
      eventKey: 'edit:1111111:1365:1441646600',
      externalMessageId: '1111111:1365',
      text: 'Edited text',
    });
  });

  it('keeps the largest photo size and uses the caption as text', () => {
    expect(eventsOf(messagePhoto)[0]).toMatchObject({
      text: 'www.example.com',
      attachments: [
        {
          kind: 'photo',
          fileRef: 'AgACAgQAAxkBAAINhGKvijUVSn2i3980bQIIc1fqWGNCAAJpvDEbEmaBUfuA43fR-BnlAQADAgADeQADJAQ',
          mimeType: 'image/jpeg',
          size: 162061,
        },
      ],
    });
  });

  it.each([
    [
      'document',
      messageDocument,
      {
        kind: 'document',
        fileRef: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX',
        fileName: 'Testfile.pdf',
        mimeType: 'application/pdf',
        size: 536392,
      },
    ],
    [
      'voice',
      messageVoice,
      { kind: 'voice', fileRef: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', mimeType: 'audio/ogg', size: 23000 },
    ],
    [
      'audio',
      messageAudio,
      { kind: 'audio', fileRef: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', mimeType: 'audio/mpeg', size: 3897500 },
    ],
    [
      'video',
      messageVideo,
      { kind: 'video', fileRef: 'BAADAgADpgQAAgX9qEud6QcgPiOAlhYE', mimeType: 'video/mp4', size: 1381334 },
    ],
    [
      'sticker',
      messageSticker,
      {
        kind: 'sticker',
        fileRef: 'CAACAgIAAxkBAAESLdBjMImep-J0W8XaTN6S_Lz1-j1QIQACIwADsND4DGmmygHGlyggKQQ',
        mimeType: 'application/x-tgsticker',
        size: 16639,
      },
    ],
    ['location', messageLocation, { kind: 'location', latitude: 0, longitude: 0, title: 'Title' }],
    ['contact', messageContact, { kind: 'contact', name: 'Test Contact', phone: '+79160000000' }],
  ])('maps a %s attachment', (_kind, fixture, attachment) => {
    expect(eventsOf(fixture)[0]).toMatchObject({ type: 'inbound-message', attachments: [attachment] });
  });
});

describe('telegram inbound mapper: buttons and membership', () => {
  it('maps a callback query to a button press keyed by the query id', () => {
    expect(eventsOf(callbackMessage)).toEqual([
      {
        type: 'button-press',
        eventKey: 'cbq:4382bfdwdsb323b2d9',
        answerToken: '4382bfdwdsb323b2d9',
        from: testUser,
        conversationId: '1111111',
        payload: 'confirm:1042',
        externalMessageId: '1111111:1367',
        occurredAt: expect.any(Date),
      },
    ]);
  });

  it('maps a callback query without a message to the presser', () => {
    const [event] = eventsOf(callbackInline);
    expect(event).toMatchObject({
      type: 'button-press',
      conversationId: '1111111',
      payload: 'Data from button callback',
    });
    expect(event).not.toHaveProperty('externalMessageId');
  });

  it('maps blocking the bot to opt-out and unblocking to opt-in', () => {
    expect(eventsOf(memberKicked)).toEqual([
      {
        type: 'opt-out',
        eventKey: 'member:0:1644677726:kicked',
        from: { externalUserId: '0', name: 'FN LN' },
        occurredAt: new Date(1644677726 * 1000),
      },
    ]);
    expect(eventsOf(memberRestored)).toMatchObject([
      {
        type: 'opt-in',
        eventKey: 'member:5342492667:1737277338:member',
        from: { externalUserId: '5342492667', name: 'Nelson II' },
      },
    ]);
  });

  it('ignores membership changes in groups', () => {
    const { _source, ...update } = memberKicked;
    const inGroup = {
      ...update,
      my_chat_member: { ...update.my_chat_member, chat: { id: -100123, type: 'supergroup', title: 'Shop' } },
    };
    expect(mapUpdate(inGroup)).toEqual({ kind: 'events', events: [] });
  });
});

describe('telegram inbound mapper: what it does not map', () => {
  it('reports update types it does not handle as unsupported', () => {
    expect(mapUpdate(asUpdate(inlineQuery))).toEqual({ kind: 'unsupported', updateType: 'inline_query' });
    expect(mapUpdate({ update_id: 1, constructor: {} })).toEqual({
      kind: 'unsupported',
      updateType: 'constructor',
    });
  });

  it.each([
    ['not an object', 'hello'],
    ['no update_id', { message: {} }],
    ['a message without chat', { update_id: 5, message: { message_id: 1, date: 1 } }],
    ['a callback query without id', { update_id: 6, callback_query: { from: { id: 1, first_name: 'A' } } }],
  ])('calls %s malformed', (_what, body) => {
    expect(mapUpdate(body).kind).toBe('malformed');
  });
});
