import { smsAdapter } from '../../../adapters/sms';
import { mapCommandStatus, throttleRetryAfterMs } from '../../../adapters/sms/error-mapping';
import { chooseEncoding, encodedLength, splitIntoParts } from '../../../adapters/sms/message-encoding';
import { MoEventKeys } from '../../../adapters/sms/mo-event-key';
import { relativeValidity, renderSubmits } from '../../../adapters/sms/outbound-renderer';
import { PartIdMap } from '../../../adapters/sms/part-id-map';
import { reconnectDelayMs, reconnectPolicy } from '../../../adapters/sms/reconnect-backoff';

const sender = { addr: 'Vestnik', ton: 5, npi: 0 };
const render = (text: string, maxParts = 6) =>
  renderSubmits({ text, phone: '+79161234567', sender, messageId: 'm-1' }, maxParts);

describe('sms outbound renderer', () => {
  it('chooses GSM-7 for the basic table and its extension, UCS-2 for anything else', () => {
    expect(chooseEncoding('Price: 5€ [ok] {x} ~^|\\ @£$¥')).toBe('gsm7');
    expect(chooseEncoding('Привет')).toBe('ucs2');
    expect(chooseEncoding('ok 👍')).toBe('ucs2');
    expect(chooseEncoding('escape \x1B')).toBe('ucs2');
    expect(encodedLength('€[]', 'gsm7')).toBe(6);
    expect(encodedLength('👍', 'ucs2')).toBe(2);
  });

  it('encodes with the smpp package: GSM 03.38 unpacked with ESC for €, UCS-2 big-endian', () => {
    const gsm = render('@€');
    const ucs2 = render('Ж');
    expect(gsm.ok && gsm.parts[0]?.short_message.toString('hex')).toBe('001b65');
    expect(ucs2.ok && ucs2.parts[0]?.short_message.toString('hex')).toBe('0416');
    expect(gsm.ok && gsm.parts[0]).toMatchObject({ data_coding: 0, esm_class: 0, registered_delivery: 1 });
    expect(ucs2.ok && ucs2.parts[0]).toMatchObject({ data_coding: 8, destination_addr: '79161234567' });
  });

  it('never splits a surrogate pair across UCS-2 parts', () => {
    const parts = splitIntoParts(`${'ж'.repeat(66)}👍${'ж'.repeat(10)}`, 'ucs2');
    expect(parts.map((part) => part.length)).toEqual([66, 12]);
  });

  it('refuses past maxParts with the part count it would take', () => {
    expect(render('ж'.repeat(135), 2)).toEqual({ ok: false, encoding: 'ucs2', partCount: 3 });
    expect(render('ж'.repeat(134), 2).ok).toBe(true);
  });

  it('writes relative validity YYMMDDhhmmss000R', () => {
    expect(relativeValidity(undefined)).toBe('');
    expect(relativeValidity(15)).toBe('000000000015000R');
    expect(relativeValidity(3_600)).toBe('000000010000000R');
    expect(relativeValidity(90_061)).toBe('000001010101000R');
  });

  it('derives maxLength from maxParts × 153 (160 for a single part)', () => {
    const config = smsAdapter.configSchema.parse({
      host: 'smsc.example',
      systemId: 'vestnik',
      password: 'secret12',
      sourceAddr: 'Vestnik',
    });
    expect(smsAdapter.capabilities(config).text.maxLength).toBe(918);
    expect(smsAdapter.capabilities({ ...config, maxParts: 1 }).text.maxLength).toBe(160);
    expect(() => smsAdapter.configSchema.parse({ ...config, password: 'ninechars' })).toThrow();
    expect(() => smsAdapter.configSchema.parse({ ...config, sourceAddr: 'TwelveLetter' })).toThrow();
  });
});

describe('sms command_status table', () => {
  it.each([
    [0x58, { kind: 'rate-limited', retryAfterMs: throttleRetryAfterMs, code: 'ESME_RTHROTTLED' }],
    [0x14, { kind: 'rate-limited', retryAfterMs: throttleRetryAfterMs, code: 'ESME_RMSGQFUL' }],
    [0x0b, { kind: 'permanent', reason: 'recipient-invalid', code: 'ESME_RINVDSTADR' }],
    [0x0e, { kind: 'permanent', reason: 'auth', code: 'ESME_RINVPASWD' }],
    [0x0d, { kind: 'permanent', reason: 'auth', code: 'ESME_RBINDFAIL' }],
    [0x08, { kind: 'retryable', code: 'ESME_RSYSERR' }],
    [0x45, { kind: 'retryable', code: 'ESME_RSUBMITFAIL' }],
    [0x04, { kind: 'retryable', code: 'ESME_RINVBNDSTS' }],
    [0x400, { kind: 'permanent', reason: 'rejected', code: '0x00000400' }],
  ])('maps 0x%s', (status, failure) => {
    expect(mapCommandStatus(status)).toEqual({ ok: false, failure: expect.objectContaining(failure) });
  });
});

describe('sms link and id bookkeeping', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(250);
    expect(reconnectDelayMs(0, () => 0.999)).toBe(500);
    expect(reconnectDelayMs(3, () => 0)).toBe(2_000);
    expect(reconnectDelayMs(30, () => 0.999)).toBeLessThanOrEqual(reconnectPolicy.maxMs);
  });

  it('keeps part ids bounded and finds a decimal receipt id given in hex at submit', () => {
    const ids = new PartIdMap(2);
    ids.link('a1', 'first');
    ids.link('b2', 'first');
    ids.link('c3', 'other');
    expect([ids.resolve('a1'), ids.resolve('b2'), ids.resolve('c3')]).toEqual(['a1', 'first', 'other']);
    expect(ids.resolve('195')).toBe('other');
  });

  it('treats the same MO content as one message inside the window and a new one after it', () => {
    let now = 0;
    const keys = new MoEventKeys(60_000, () => now);
    const identity = { source: '79161234567', destination: '4567', dataCoding: 0, text: 'Да' };
    const first = keys.keyFor(identity).eventKey;
    now = 30_000;
    expect(keys.keyFor(identity).eventKey).toBe(first);
    now = 100_000;
    expect(keys.keyFor(identity).eventKey).not.toBe(first);
  });
});
