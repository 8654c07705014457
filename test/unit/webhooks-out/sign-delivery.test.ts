import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateEndpointSecret } from '../../../src/webhooks-out/endpoint-secret';
import { signDelivery } from '../../../src/webhooks-out/sign-delivery';

const payload = {
  type: 'notification.status_changed',
  timestamp: '2025-01-01T00:00:00.000Z',
  data: { notificationId: 'ntf_1', status: 'delivered', text: 'Привет' },
};

describe('signDelivery', () => {
  const secret = generateEndpointSecret();

  it('produces exactly the Standard Webhooks headers and the JSON body', () => {
    const timestamp = new Date('2025-06-01T12:00:00.999Z');
    const signed = signDelivery({ secret, messageId: 'evt_01J9', timestamp, payload });
    expect(Object.keys(signed.headers).sort()).toEqual([
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    expect(signed.headers['webhook-id']).toBe('evt_01J9');
    expect(signed.headers['webhook-timestamp']).toBe(String(Math.floor(timestamp.getTime() / 1000)));
    expect(signed.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signed.body).toBe(JSON.stringify(payload));
  });

  it('is HMAC-SHA256 over `id.seconds.body` with the base64-decoded key (cross-checked with node:crypto)', () => {
    const timestamp = new Date(1614265330 * 1000);
    const signed = signDelivery({ secret, messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp, payload });
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.${signed.body}`)
      .digest('base64');
    expect(signed.headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('is verified by the official library and yields the payload', () => {
    const signed = signDelivery({ secret, messageId: 'evt_1', timestamp: new Date(), payload });
    expect(new Webhook(secret).verify(signed.body, { ...signed.headers })).toEqual(payload);
  });

  it('keeps webhook-id across retries while timestamp and signature change', () => {
    const first = signDelivery({
      secret,
      messageId: 'evt_2',
      timestamp: new Date(Date.now() - 60_000),
      payload,
    });
    const retry = signDelivery({ secret, messageId: 'evt_2', timestamp: new Date(), payload });
    expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
    expect(() => new Webhook(secret).verify(first.body, { ...first.headers })).not.toThrow();
    expect(() => new Webhook(secret).verify(retry.body, { ...retry.headers })).not.toThrow();
  });

  it('fails verification when the body is tampered with', () => {
    const signed = signDelivery({ secret, messageId: 'evt_3', timestamp: new Date(), payload });
    const tampered = signed.body.replace('delivered', 'failed');
    expect(() => new Webhook(secret).verify(tampered, { ...signed.headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it('fails verification when the timestamp header is changed', () => {
    const signed = signDelivery({ secret, messageId: 'evt_4', timestamp: new Date(), payload });
    const headers = {
      ...signed.headers,
      'webhook-timestamp': String(Number(signed.headers['webhook-timestamp']) - 1),
    };
    expect(() => new Webhook(secret).verify(signed.body, headers)).toThrow('No matching signature found');
  });

  it('fails verification with another secret or another id', () => {
    const signed = signDelivery({ secret, messageId: 'evt_5', timestamp: new Date(), payload });
    expect(() => new Webhook(generateEndpointSecret()).verify(signed.body, { ...signed.headers })).toThrow(
      WebhookVerificationError,
    );
    expect(() =>
      new Webhook(secret).verify(signed.body, { ...signed.headers, 'webhook-id': 'evt_6' }),
    ).toThrow(WebhookVerificationError);
  });

  it('fails verification when the timestamp is more than 5 minutes old, or ahead', () => {
    const old = signDelivery({
      secret,
      messageId: 'evt_7',
      timestamp: new Date(Date.now() - 5 * 60_000 - 2000),
      payload,
    });
    expect(() => new Webhook(secret).verify(old.body, { ...old.headers })).toThrow(
      'Message timestamp too old',
    );
    const ahead = signDelivery({
      secret,
      messageId: 'evt_8',
      timestamp: new Date(Date.now() + 5 * 60_000 + 2000),
      payload,
    });
    expect(() => new Webhook(secret).verify(ahead.body, { ...ahead.headers })).toThrow(
      'Message timestamp too new',
    );
  });

  it.each(['', 'evt 1', 'evt\r\nx-injected: 1', 'x'.repeat(256)])('refuses message id %p', (messageId) => {
    expect(() => signDelivery({ secret, messageId, timestamp: new Date(), payload })).toThrow(TypeError);
  });

  it('refuses an invalid Date', () => {
    expect(() =>
      signDelivery({ secret, messageId: 'evt_9', timestamp: new Date(Number.NaN), payload }),
    ).toThrow(TypeError);
  });
});
