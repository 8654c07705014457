import { mapOkWebhook } from '../../../adapters/ok/inbound-mapper';
import callback from '../../fixtures/ok/message-callback.json';
import image from '../../fixtures/ok/message-created-image.json';
import share from '../../fixtures/ok/message-created-share.json';
import text from '../../fixtures/ok/message-created-text.json';

const without = <T extends { _source: string }>(fixture: T): Omit<T, '_source'> => {
  const { _source, ...body } = fixture;
  return body;
};

describe('ok inbound mapper', () => {
  it('maps the documented plain text message (no webhookType) to an inbound message keyed by mid', () => {
    expect(mapOkWebhook(without(text))).toEqual({
      ok: true,
      events: [
        {
          type: 'inbound-message',
          eventKey: 'mid:C3ecb9d02a600.15cea67d78d2059',
          externalMessageId: 'mid:C3ecb9d02a600.15cea67d78d2059',
          from: { externalUserId: 'chat:C3ecb9d02a600' },
          conversationId: 'chat:C3ecb9d02a600',
          text: 'text',
          attachments: [],
          occurredAt: new Date(1498581292941),
        },
      ],
    });
  });

  it('keeps a SHARE link as text only: it is not a file', () => {
    const result = mapOkWebhook(without(share));
    expect(result).toMatchObject({
      ok: true,
      events: [{ type: 'inbound-message', text: 'https://ya.ru/', attachments: [] }],
    });
  });

  it('maps an IMAGE attachment to a photo referenced by its URL, with the reply and the sender name', () => {
    const result = mapOkWebhook(without(image));
    expect(result).toMatchObject({
      ok: true,
      events: [
        {
          type: 'inbound-message',
          eventKey: 'mid:C3ecb9d02a600.15cea668c4c2482',
          from: { externalUserId: 'chat:C3ecb9d02a600', name: 'Анна Петрова' },
          text: 'Вот фото чека',
          attachments: [{ kind: 'photo', fileRef: 'https://st.mycdn.me/res/i/ok_logo.png' }],
          replyToExternalId: 'mid:C3ecb9d02a600.15cea67d78d2059',
        },
      ],
    });
  });

  it('maps MESSAGE_CALLBACK to a button press keyed by its callbackId', () => {
    expect(mapOkWebhook(without(callback))).toEqual({
      ok: true,
      events: [
        {
          type: 'button-press',
          eventKey: 'callback:someCallbackId',
          from: { externalUserId: 'chat:C3ecb9d02a600', name: 'Анна Петрова' },
          conversationId: 'chat:C3ecb9d02a600',
          payload: 'confirm-order-1042',
          externalMessageId: 'mid:C3ecb9d02a600.15cea67d78d2059',
          occurredAt: new Date(1498581292999),
        },
      ],
    });
  });

  it('accepts CHAT_SYSTEM and unknown types without events, saying why', () => {
    expect(mapOkWebhook({ webhookType: 'CHAT_SYSTEM', recipient: { chat_id: 'chat:C1' } })).toMatchObject({
      ok: true,
      events: [],
      unsupported: expect.stringContaining('CHAT_SYSTEM'),
    });
    expect(mapOkWebhook({ webhookType: 'MESSAGE_READ' })).toEqual({
      ok: true,
      events: [],
      unsupported: 'MESSAGE_READ',
    });
  });

  it('refuses malformed bodies instead of throwing', () => {
    const { message, ...noMessage } = without(text);
    expect(
      mapOkWebhook({ ...noMessage, message: { text: message.text }, webhookType: 'MESSAGE_CREATED' }),
    ).toMatchObject({ ok: false });
    expect(mapOkWebhook({ ...without(callback), callbackId: 42 })).toMatchObject({ ok: false });
    expect(mapOkWebhook([without(text)])).toMatchObject({ ok: false });
    expect(mapOkWebhook(undefined)).toMatchObject({ ok: false });
    expect(mapOkWebhook({ timestamp: 1 })).toEqual({ ok: false, reason: 'OK webhook without webhookType' });
  });
});
