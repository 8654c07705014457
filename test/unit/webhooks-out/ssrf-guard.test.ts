import {
  checkEndpointUrl,
  forbiddenAddressReason,
  type LookupAll,
  type ResolvedAddress,
  resolveSafeAddress,
} from '../../../src/webhooks-out/ssrf-guard';

const strict = { allowPrivate: false };
const relaxed = { allowPrivate: true };

function fakeLookup(answers: Record<string, ResolvedAddress[]>): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const answer = answers[hostname];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer;
  };
  return Object.assign(lookup, { calls });
}

describe('forbiddenAddressReason', () => {
  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4010:c05::64'])(
    'allows public %s',
    (address) => {
      expect(forbiddenAddressReason(address, strict)).toBeUndefined();
    },
  );

  const privateAddresses = [
    ['loopback', '127.0.0.1'],
    ['loopback', '127.255.0.9'],
    ['loopback', '::1'],
    ['private', '10.1.2.3'],
    ['private', '172.16.0.1'],
    ['private', '172.31.255.255'],
    ['private', '192.168.1.1'],
    ['carrierGradeNat', '100.64.0.1'],
    ['carrierGradeNat', '100.127.255.254'],
    ['linkLocal', '169.254.1.1'],
    ['linkLocal', 'fe80::1'],
    ['linkLocal', 'febf::1'],
    ['uniqueLocal', 'fc00::1'],
    ['uniqueLocal', 'fd12:3456::1'],
    ['loopback', '::ffff:127.0.0.1'],
    ['loopback', '::127.0.0.1'],
    ['private', '::ffff:10.0.0.1'],
    ['private', '::ffff:c0a8:101'],
  ] as const;

  it.each(privateAddresses)('refuses %s %s, unless private targets are allowed', (range, address) => {
    expect(forbiddenAddressReason(address, strict)).toContain(range);
    expect(forbiddenAddressReason(address, relaxed)).toBeUndefined();
  });

  it.each([
    ['unspecified', '0.0.0.0'],
    ['unspecified', '0.1.2.3'],
    ['unspecified', '::'],
    ['multicast', '224.0.0.1'],
    ['multicast', '239.255.255.250'],
    ['multicast', 'ff02::1'],
    ['broadcast', '255.255.255.255'],
    ['reserved', '240.0.0.1'],
    ['metadata', '169.254.169.254'],
    ['metadata', '169.254.170.2'],
    ['metadata', '100.100.100.200'],
    ['metadata', '168.63.129.16'],
    ['metadata', 'fd00:ec2::254'],
    ['metadata', '::ffff:169.254.169.254'],
    ['IPv4-compatible', '::7f00:1'],
    ['IPv4-compatible', '::a00:1'],
    ['rfc6052', '64:ff9b::a00:1'],
  ])('always refuses %s %s', (label, address) => {
    expect(forbiddenAddressReason(address, strict)).toContain(label);
    expect(forbiddenAddressReason(address, relaxed)).toContain(label);
  });

  it('refuses what is not an address', () => {
    expect(forbiddenAddressReason('example.com', relaxed)).toContain('not an IP address');
  });
});

describe('checkEndpointUrl', () => {
  it('accepts a public https URL and returns it parsed', () => {
    const result = checkEndpointUrl('https://hooks.example.com/vestnik?x=1', strict);
    expect(result).toEqual({ ok: true, value: new URL('https://hooks.example.com/vestnik?x=1') });
  });

  it.each([
    ['invalid-url', 'not a url'],
    ['invalid-url', '/relative/path'],
    ['scheme', 'http://hooks.example.com/'],
    ['scheme', 'ftp://hooks.example.com/'],
    ['scheme', 'file:///etc/passwd'],
    ['credentials', 'https://user:pass@hooks.example.com/'],
    ['credentials', 'https://user@hooks.example.com/'],
    ['forbidden-host', 'https://localhost/'],
    ['forbidden-host', 'https://LOCALHOST./'],
    ['forbidden-host', 'https://api.localhost:8443/'],
    ['forbidden-host', 'https://metadata.google.internal/computeMetadata/v1/'],
    ['forbidden-address', 'https://127.0.0.1/'],
    ['forbidden-address', 'https://2130706433/'],
    ['forbidden-address', 'https://0x7f.1/'],
    ['forbidden-address', 'https://0/'],
    ['forbidden-address', 'https://[::1]/'],
    ['forbidden-address', 'https://[::ffff:7f00:1]/'],
    ['forbidden-address', 'https://10.0.0.1/'],
    ['forbidden-address', 'https://169.254.169.254/latest/meta-data/'],
    ['forbidden-address', 'https://[fd00:ec2::254]/'],
  ])('refuses (%s) %s', (reason, url) => {
    expect(checkEndpointUrl(url, strict)).toMatchObject({ ok: false, reason });
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost:3000/hook',
    'https://[::1]/hook',
    'http://192.168.1.10/hook',
  ])('accepts %s with allowPrivate', (url) => {
    expect(checkEndpointUrl(url, relaxed)).toMatchObject({ ok: true });
  });

  it.each([
    ['forbidden-host', 'http://metadata.google.internal/'],
    ['forbidden-address', 'http://169.254.169.254/'],
    ['forbidden-address', 'http://[ff02::1]/'],
    ['scheme', 'ws://127.0.0.1/'],
    ['credentials', 'http://a:b@127.0.0.1/'],
  ])('still refuses (%s) %s with allowPrivate', (reason, url) => {
    expect(checkEndpointUrl(url, relaxed)).toMatchObject({ ok: false, reason });
  });
});

describe('resolveSafeAddress', () => {
  it('returns the first address when every resolved address is public', async () => {
    const lookup = fakeLookup({
      'hooks.example.com': [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
    });
    const result = await resolveSafeAddress('hooks.example.com', { ...strict, lookup });
    expect(result).toEqual({ ok: true, value: { address: '93.184.216.34', family: 4 } });
    expect(lookup.calls).toEqual(['hooks.example.com']);
  });

  it('refuses when ANY resolved address is forbidden', async () => {
    const lookup = fakeLookup({
      'rebind.example.com': [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    });
    const result = await resolveSafeAddress('rebind.example.com', { ...strict, lookup });
    expect(result).toMatchObject({ ok: false, reason: 'forbidden-address' });
    expect(!result.ok && result.detail).toContain('10.0.0.5');
  });

  it('refuses a name resolving to a metadata address even with allowPrivate', async () => {
    const lookup = fakeLookup({ 'meta.example.com': [{ address: '169.254.169.254', family: 4 }] });
    expect(await resolveSafeAddress('meta.example.com', { ...relaxed, lookup })).toMatchObject({
      ok: false,
      reason: 'forbidden-address',
    });
  });

  it('allows a private answer with allowPrivate', async () => {
    const lookup = fakeLookup({ 'hooks.internal': [{ address: '10.0.0.5', family: 4 }] });
    expect(await resolveSafeAddress('hooks.internal', { ...relaxed, lookup })).toEqual({
      ok: true,
      value: { address: '10.0.0.5', family: 4 },
    });
  });

  it('checks a literal IP without a lookup (brackets and all)', async () => {
    const lookup = fakeLookup({});
    expect(await resolveSafeAddress('[::1]', { ...strict, lookup })).toMatchObject({ ok: false });
    expect(await resolveSafeAddress('[::1]', { ...relaxed, lookup })).toEqual({
      ok: true,
      value: { address: '::1', family: 6 },
    });
    expect(await resolveSafeAddress('8.8.8.8', { ...strict, lookup })).toEqual({
      ok: true,
      value: { address: '8.8.8.8', family: 4 },
    });
    expect(lookup.calls).toEqual([]);
  });

  it('refuses forbidden names before any lookup', async () => {
    const lookup = fakeLookup({});
    expect(await resolveSafeAddress('localhost', { ...strict, lookup })).toMatchObject({
      reason: 'forbidden-host',
    });
    expect(await resolveSafeAddress('metadata.google.internal.', { ...relaxed, lookup })).toMatchObject({
      reason: 'forbidden-host',
    });
    expect(lookup.calls).toEqual([]);
  });

  it('reports DNS failures and empty answers as dns-failed', async () => {
    const lookup = fakeLookup({ 'empty.example.com': [] });
    expect(await resolveSafeAddress('nowhere.example.com', { ...strict, lookup })).toMatchObject({
      ok: false,
      reason: 'dns-failed',
    });
    expect(await resolveSafeAddress('empty.example.com', { ...strict, lookup })).toMatchObject({
      ok: false,
      reason: 'dns-failed',
    });
  });

  it('uses the system resolver by default (localhost is loopback)', async () => {
    const result = await resolveSafeAddress('localhost', relaxed);
    expect(result.ok).toBe(true);
    expect(result.ok && ['127.0.0.1', '::1']).toContain(result.ok && result.value.address);
  });
});
