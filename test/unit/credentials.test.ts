import { isIpAllowed, isValidCidr, parseAllowList } from '../../src/auth/ip-allowlist';
import { hashPassword, verifyPassword } from '../../src/auth/passwords';
import { safeEqual } from '../../src/auth/secrets';

describe('passwords (scrypt)', () => {
  it('verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
  });
});

describe('IP allowlists', () => {
  it('normalises single addresses to host ranges', () => {
    expect(parseAllowList(['10.0.0.1', '2001:db8::/32'])).toEqual(['10.0.0.1/32', '2001:db8::/32']);
  });

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 clients', () => {
    const list = parseAllowList(['192.168.0.0/16', '2001:db8::/32']);
    expect(isIpAllowed('192.168.4.2', list)).toBe(true);
    expect(isIpAllowed('::ffff:192.168.4.2', list)).toBe(true);
    expect(isIpAllowed('2001:db8::1', list)).toBe(true);
    expect(isIpAllowed('10.1.1.1', list)).toBe(false);
    expect(isIpAllowed('garbage', list)).toBe(false);
  });

  it('allows everyone when the list is empty', () => {
    expect(isIpAllowed('203.0.113.9', [])).toBe(true);
  });

  it('rejects what is not an address or range', () => {
    expect(isValidCidr('10.0.0.0/33')).toBe(false);
    expect(isValidCidr('example.com')).toBe(false);
  });
});

describe('constant-time comparison', () => {
  it('compares equal and unequal strings, including different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
