import {
  callLimitRetryAfterMs,
  graphErrorTable,
  mapGraphError,
  pairRateRetryAfterMs,
  retryHintFrom,
  throughputRetryAfterMs,
} from '../../../adapters/whatsapp/error-mapping';

const noHint = { retryAfterMs: null };

describe('whatsapp Graph error mapping', () => {
  it.each([
    [131047, { kind: 'permanent', reason: 'window-closed' }],
    [131026, { kind: 'permanent', reason: 'no-account' }],
    [131051, { kind: 'permanent', reason: 'content-invalid' }],
    [100, { kind: 'permanent', reason: 'content-invalid' }],
    [131009, { kind: 'permanent', reason: 'content-invalid' }],
    [190, { kind: 'permanent', reason: 'auth' }],
    [0, { kind: 'permanent', reason: 'auth' }],
    [132000, { kind: 'permanent', reason: 'content-invalid' }],
    [132001, { kind: 'permanent', reason: 'template-not-approved' }],
    [131000, { kind: 'retryable' }],
    [131016, { kind: 'retryable' }],
    [130429, { kind: 'rate-limited', retryAfterMs: throughputRetryAfterMs }],
    [131056, { kind: 'rate-limited', retryAfterMs: pairRateRetryAfterMs }],
    [80007, { kind: 'rate-limited', retryAfterMs: callLimitRetryAfterMs }],
  ])('code %i', (code, failure) => {
    expect(mapGraphError({ code, message: `(#${code}) title` }, noHint)).toEqual({
      ok: false,
      failure: expect.objectContaining({ ...failure, code }),
    });
  });

  it('keeps every documented code in the table', () => {
    expect(Object.keys(graphErrorTable).map(Number)).toEqual(
      expect.arrayContaining([
        131047, 130429, 131056, 80007, 131026, 131051, 100, 190, 0, 131000, 131016, 132000, 132001,
      ]),
    );
  });

  it('treats unknown transient errors as retryable and other unknown codes as rejected', () => {
    expect(mapGraphError({ code: 999999, is_transient: true }, noHint)).toMatchObject({
      failure: { kind: 'retryable' },
    });
    expect(mapGraphError({ code: 999999 }, noHint)).toMatchObject({
      failure: { kind: 'permanent', reason: 'rejected' },
    });
  });

  it('prefers Retry-After, then the business use case estimate (minutes)', () => {
    expect(retryHintFrom(new Headers({ 'retry-after': '7' }))).toEqual({ retryAfterMs: 7000 });
    const usage = JSON.stringify({
      '102290129340398': [{ type: 'whatsapp', estimated_time_to_regain_access: 3 }],
    });
    expect(retryHintFrom(new Headers({ 'x-business-use-case-usage': usage }))).toEqual({
      retryAfterMs: 180_000,
    });
    expect(mapGraphError({ code: 80007 }, { retryAfterMs: 180_000 })).toMatchObject({
      failure: { kind: 'rate-limited', retryAfterMs: 180_000 },
    });
  });
});
