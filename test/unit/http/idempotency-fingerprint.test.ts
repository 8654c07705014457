import { canonicalJson, requestFingerprint } from '../../../src/http/idempotency';

describe('idempotency fingerprint', () => {
  it('serializes objects with sorted keys at every level, arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('does not depend on key order', () => {
    const one = requestFingerprint('post', '/v1/templates', { name: 'x', body: { a: 1, b: [1, 2] } });
    const two = requestFingerprint('POST', '/v1/templates', { body: { b: [1, 2], a: 1 }, name: 'x' });
    expect(one).toBe(two);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the method, the path, a value or the order of an array', () => {
    const base = requestFingerprint('POST', '/v1/templates', { a: [1, 2] });
    expect(requestFingerprint('PUT', '/v1/templates', { a: [1, 2] })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/notifications', { a: [1, 2] })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/templates', { a: [2, 1] })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/templates', { a: ['1', 2] })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/templates', {})).not.toBe(
      requestFingerprint('POST', '/v1/templates', undefined),
    );
  });
});
