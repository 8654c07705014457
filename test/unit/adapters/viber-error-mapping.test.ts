import { mapViberRejection, viberRateLimitDelayMs } from '../../../adapters/viber/error-mapping';
import { ViberStatusError, ViberTransportError } from '../../../adapters/viber/viber-transport';

const answer = (status: number, statusMessage = 'x') => ({ status, status_message: statusMessage });

describe('viber error mapping', () => {
  it.each([
    [1, 'rejected'],
    [2, 'auth'],
    [3, 'content-invalid'],
    [4, 'content-invalid'],
    [5, 'no-account'],
    [6, 'not-allowed'],
    [7, 'auth'],
    [8, 'auth'],
    [9, 'auth'],
    [10, 'rejected'],
    [11, 'no-account'],
    [13, 'content-invalid'],
    [14, 'content-invalid'],
    [15, 'auth'],
    [16, 'not-allowed'],
    [17, 'not-allowed'],
    [18, 'not-allowed'],
    [19, 'not-allowed'],
    [20, 'not-allowed'],
    [21, 'not-allowed'],
    [22, 'content-invalid'],
    [23, 'rejected'],
    [24, 'rejected'],
  ])('status %i is permanent %s, with the code', (status, reason) => {
    expect(mapViberRejection(answer(status))).toEqual({
      ok: false,
      failure: { kind: 'permanent', reason, detail: expect.stringContaining(String(status)), code: status },
    });
  });

  it('status 12 tooManyRequests waits the documented fixed delay', () => {
    expect(mapViberRejection(answer(12, 'Too many requests'))).toEqual({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: viberRateLimitDelayMs, code: 12 },
    });
  });

  it('an undocumented status is a general error, retried', () => {
    expect(mapViberRejection(answer(999, 'Bad receiver ID'))).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', code: 999, reason: expect.stringContaining('generalError') },
    });
  });

  it("maps the transport's status error like the bare answer viber-bot rejects with", () => {
    expect(mapViberRejection(new ViberStatusError(answer(6)))).toEqual(mapViberRejection(answer(6)));
  });

  it('a transport failure stays retryable; viber-bot own refusals are invalid content', () => {
    const transport = new ViberTransportError({ kind: 'retryable', reason: 'Viber answered HTTP 502' });
    expect(mapViberRejection(transport)).toEqual({ ok: false, failure: transport.failure });
    expect(mapViberRejection(new Error('Missing required argument text'))).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'content-invalid' },
    });
  });
});
