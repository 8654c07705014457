import { maskPhone, redactLine } from '../../src/logging/redaction';

describe('log redaction', () => {
  it.each([
    ['+79161234567', '+7******4567'],
    ['+7 (916) 123-45-67', '+7******4567'],
    ['%2B79161234567', '+7******4567'],
    ['+442071234567', '+4*******4567'],
  ])('masks %s as %s', (phone, masked) => {
    expect(redactLine(`to ${phone}.`)).toBe(`to ${masked}.`);
  });

  it('masks a bare phone the same way', () => {
    expect(maskPhone('+79161234567')).toBe('+7******4567');
  });

  it('removes API keys, session tokens and bearer credentials', () => {
    const line = JSON.stringify({
      msg: 'key vst_abcdefghij_SECRETSECRETSECRET and vss_SESSIONTOKEN123',
      header: 'Bearer abc.def-ghi',
    });
    const out = redactLine(line);
    expect(out).not.toMatch(/SECRET|SESSIONTOKEN|abc\.def/);
    expect(out).toContain('vst_[redacted]');
    expect(out).toContain('Bearer [redacted]');
  });

  it('leaves ordinary numbers, ids and timestamps alone', () => {
    const line = '{"time":1795289656665,"id":"6b01f238cf5e17ea53158269","ms":12.5}';
    expect(redactLine(line)).toBe(line);
  });
});
