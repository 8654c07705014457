import type { WebhookRequest } from '../../../adapters/contract';
import { okPublishedWebhookRanges } from '../../../adapters/ok/config-schema';
import { createWebhookVerifier, subscriptionUrl } from '../../../adapters/ok/webhook-verification';

const request = (query: Record<string, string>, remoteAddress = '127.0.0.1'): WebhookRequest => ({
  method: 'POST',
  headers: {},
  query,
  rawBody: Buffer.from('{}'),
  remoteAddress,
});

describe('ok webhook verification', () => {
  const key = 'k3y-with-enough-entropy-0123456789';

  it('accepts the exact key and refuses a missing, shorter, longer or different one', () => {
    const verifier = createWebhookVerifier(key, []);
    expect(verifier.verify(request({ key }))).toEqual({ ok: true });
    const wrongs: Array<Record<string, string>> = [
      {},
      { key: key.slice(1) },
      { key: `${key}0` },
      { key: key.replace('k', 'K') },
    ];
    for (const wrong of wrongs) {
      expect(verifier.verify(request(wrong))).toEqual({ ok: false, reason: 'webhook key mismatch' });
    }
  });

  it("enforces OK's published source ranges when configured, IPv4-mapped IPv6 included", () => {
    const verifier = createWebhookVerifier(key, [...okPublishedWebhookRanges]);
    expect(verifier.verify(request({ key }, '217.20.145.200'))).toEqual({ ok: true });
    expect(verifier.verify(request({ key }, '::ffff:217.20.153.49'))).toEqual({ ok: true });
    expect(verifier.verify(request({ key }, '217.20.145.208'))).toMatchObject({ ok: false });
    expect(verifier.verify(request({ key }, '2001:db8::1'))).toMatchObject({ ok: false });
    expect(verifier.verify(request({ key }, 'not-an-address'))).toMatchObject({ ok: false });
  });

  it('subscribes the webhook URL with the key added, or as given when it already has one', () => {
    expect(subscriptionUrl({ url: 'https://vestnik.example/webhooks/ch1', key: 'a b' })).toBe(
      'https://vestnik.example/webhooks/ch1?key=a+b',
    );
    expect(subscriptionUrl({ url: 'https://vestnik.example/webhooks/ch1?key=given', key: 'other' })).toBe(
      'https://vestnik.example/webhooks/ch1?key=given',
    );
  });
});
