import { mapOkError, okFloodRetryAfterMs } from '../../../adapters/ok/error-mapping';

describe('ok error mapping', () => {
  it.each([
    [1, 'retryable'],
    [2, 'retryable'],
    [9999, 'retryable'],
    [8, 'rate-limited'],
    [11, 'rate-limited'],
    [100, 'permanent'],
    [102, 'permanent'],
    [705, 'permanent'],
  ])('OK error %i is %s', (code, kind) => {
    expect(mapOkError({ error_code: code, error_msg: 'X : y' })).toMatchObject({
      ok: false,
      failure: { kind, code },
    });
  });

  it('reports flood errors with the documented fixed delay', () => {
    expect(mapOkError({ error_code: 8 })).toEqual({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: okFloodRetryAfterMs, code: 8 },
    });
  });

  it.each([
    [102, 'auth'],
    [103, 'auth'],
    [100, 'content-invalid'],
    [454, 'rejected'],
    [455, 'blocked'],
    [458, 'blocked'],
    [705, 'not-allowed'],
    [300, 'recipient-invalid'],
    [123456, 'rejected'],
  ])('OK error %i is permanent %s, keeping OK message', (code, reason) => {
    const result = mapOkError({ error_code: code, error_msg: 'NAME : what OK said' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason, code } });
    expect(result.failure.kind === 'permanent' && result.failure.detail).toContain('what OK said');
  });
});
