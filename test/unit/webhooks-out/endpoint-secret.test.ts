import { Webhook } from 'standardwebhooks';
import { generateEndpointSecret, isEndpointSecret } from '../../../src/webhooks-out/endpoint-secret';

describe('webhook endpoint secret', () => {
  it('is whsec_ + base64 of 32 random bytes by default, and the official library accepts it', () => {
    const secret = generateEndpointSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(() => new Webhook(secret)).not.toThrow();
    expect(isEndpointSecret(secret)).toBe(true);
  });

  it('is different every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateEndpointSecret()));
    expect(secrets.size).toBe(50);
  });

  it.each([24, 64])('can hold %i bytes', (bytes) => {
    const secret = generateEndpointSecret(bytes);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(bytes);
    expect(isEndpointSecret(secret)).toBe(true);
  });

  it.each([0, 23, 65, 32.5, Number.NaN])('refuses %p bytes', (bytes) => {
    expect(() => generateEndpointSecret(bytes)).toThrow(RangeError);
  });

  it.each([
    ['no prefix', Buffer.alloc(32, 1).toString('base64')],
    ['too short', `whsec_${Buffer.alloc(16, 1).toString('base64')}`],
    ['too long', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
    ['not base64', 'whsec_not base64 at all, really not base64!!'],
  ])('tells a malformed secret (%s)', (_case, secret) => {
    expect(isEndpointSecret(secret)).toBe(false);
  });
});
